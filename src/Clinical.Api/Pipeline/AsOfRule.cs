using System.Globalization;
using FluentValidation;

namespace Clinical.Api.Pipeline;

/// <summary>
/// The as-of date of a request: written YYYY-MM-DD (a FHIR date of day precision) in the HTTP query, the operation's
/// Parameters and the command line alike; a record can be read as it stood on a past date or today, never on a date
/// still to come.
/// </summary>
public static class AsOfRule
{
    public const string Format = "yyyy-MM-dd";

    public static bool TryParse(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>The error for text that is not a date, naming the parameter or option it came in.</summary>
    public static string NotADate(string name, string? text) => $"{name} '{text}' is not a date (YYYY-MM-DD).";

    public static IRuleBuilderOptions<T, DateOnly?> NotInTheFuture<T>(
        this IRuleBuilder<T, DateOnly?> rule,
        TimeProvider clock
    ) =>
        rule.Must(asOf => asOf is null || asOf.Value <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
            .WithMessage(
                (_, asOf) =>
                    $"asOf {asOf:yyyy-MM-dd} is in the future; a record can only be read as it stood on a past date "
                    + "or today."
            );
}
