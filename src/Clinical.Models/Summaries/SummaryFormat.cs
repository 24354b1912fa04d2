using System.Globalization;

namespace Clinical.Models.Summaries;

/// <summary>
/// How summaries write dates and values: dd/mm/yyyy, decimal comma, no thousands separator (as Spanish notes do).
/// </summary>
public static class SummaryFormat
{
    private static readonly CultureInfo Spanish = CultureInfo.GetCultureInfo("es-ES");

    public static string Date(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    public static string Number(decimal value, int decimals) =>
        decimal.Round(value, decimals, MidpointRounding.AwayFromZero)
            .ToString(decimals == 0 ? "0" : "0." + new string('#', decimals), Spanish);

    public static string Value(KeyValue value) =>
        $"{value.Comparator}{Number(value.Value, value.Kind is KeyValueKind.Weight ? 1 : 0)} {value.Unit}";
}
