using System.Globalization;
using System.Security.Claims;
using Clinical.Api.Hosting;
using Microsoft.Extensions.Localization;

namespace Clinical.Api.Features.Dashboard;

/// <summary>How the pages show values: in the request's culture (numbers, dates), with localised codes.</summary>
public static class DashboardFormat
{
    public static string Percent(double probability) => probability.ToString("P0", CultureInfo.CurrentCulture);

    public static string Date(DateTimeOffset? when) =>
        when is { } date ? date.ToString("d MMM yyyy", CultureInfo.CurrentCulture) : "—";

    public static string Date(DateOnly date) => date.ToString("d MMM yyyy", CultureInfo.CurrentCulture);

    public static string Number(double value, string format = "#,##0.#") =>
        value.ToString(format, CultureInfo.CurrentCulture);

    /// <summary>A code's label from the resources ("Level_high"), or the code itself when there is none.</summary>
    public static string Code(IStringLocalizer text, string prefix, string? code)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrEmpty(code))
            return "—";
        var label = text[$"{prefix}_{code}"];
        return label.ResourceNotFound ? code : label.Value;
    }

    /// <summary>The user part of an audit actor ("medico-1@urn:…" → "medico-1").</summary>
    public static string Actor(string actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var at = actor.IndexOf('@', StringComparison.Ordinal);
        return at > 0 ? actor[..at] : actor;
    }

    public static string LanguageOf(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        return culture.TwoLetterISOLanguageName;
    }

    public static string UserName(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirst("name")?.Value ?? ClinicalAuthentication.Caller(user);
    }
}
