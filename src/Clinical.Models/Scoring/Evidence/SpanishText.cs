using System.Globalization;

namespace Clinical.Models.Scoring.Evidence;

internal static class SpanishText
{
    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("es-ES");

    public static string Number(double value, string format = "#,##0.#") => value.ToString(format, Culture);

    public static string Date(DateTimeOffset? when) =>
        when is { } w ? w.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) : "fecha desconocida";

    public static string DateSuffix(DateTimeOffset? when) => when is { } w ? $" ({w:dd/MM/yyyy})" : "";

    public static string List(IReadOnlyList<string> items) =>
        items.Count switch
        {
            0 => "",
            1 => items[0],
            _ => $"{string.Join(", ", items.Take(items.Count - 1))} y {items[^1]}",
        };
}
