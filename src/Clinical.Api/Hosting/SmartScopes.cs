using System.Security.Claims;
using System.Text.RegularExpressions;

namespace Clinical.Api.Hosting;

/// <summary>One SMART scope as granted: context (patient, user, system), resource type (or *), permissions.</summary>
public sealed record SmartScope(string Context, string ResourceType, string Permissions);

/// <summary>
/// What a token may do with one resource type: nothing, any patient's data (system/ and user/ scopes), or only the
/// data of the patient named by the token's "patient" claim (patient/ scopes, SMART App Launch 2 §Scopes).
/// </summary>
public sealed record PatientAccess(bool Granted, string? OnlyPatient)
{
    public static readonly PatientAccess None = new(false, null);

    public static readonly PatientAccess AnyPatient = new(true, null);

    /// <summary>Whether this access covers the patient reference ("Patient/123").</summary>
    public bool Covers(string? patientReference) =>
        Granted && (OnlyPatient is null || string.Equals(OnlyPatient, patientReference, StringComparison.Ordinal));

    /// <summary>403 unless this access covers the patient.</summary>
    public void Require(string? patientReference)
    {
        if (!Covers(patientReference))
            throw new Errors.ForbiddenException(
                Granted
                    ? "The token's patient/ scope covers only its own patient (claim 'patient'), not this one."
                    : "The token's scopes do not grant this."
            );
    }
}

/// <summary>
/// SMART on FHIR scopes in the token's space-separated "scope" claim, parsed to the grammar of SMART App Launch 2:
/// <c>(patient|user|system)/(Type|*).[c][r][u][d][s]</c> with the letters in that order, or v1's <c>.read</c>,
/// <c>.write</c>, <c>.*</c>. Anything else grants nothing (".search", ".xyzc", "Flag.sc", a scope with a v2 query
/// restriction this service cannot honour); a permission string is never searched for a letter.
/// </summary>
public static partial class SmartScopes
{
    public static IEnumerable<SmartScope> Parse(ClaimsPrincipal user) =>
        user.FindAll("scope")
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(Parse)
            .OfType<SmartScope>();

    public static SmartScope? Parse(string scope)
    {
        var match = Grammar().Match(scope);
        if (!match.Success)
            return null;
        var permissions = match.Groups["permissions"].Value switch
        {
            "*" => "cruds",
            "read" => "rs",
            "write" => "cud",
            var v2 => v2,
        };
        return permissions.Length == 0
            ? null
            : new SmartScope(match.Groups["context"].Value, match.Groups["type"].Value, permissions);
    }

    /// <summary>
    /// The access the token's scopes give to <paramref name="resource"/> for every permission in
    /// <paramref name="needed"/> (one scope must hold them all). A system/ or user/ scope reaches any patient; a
    /// patient/ scope only the token's patient, and nothing when the token names no patient.
    /// </summary>
    public static PatientAccess Access(ClaimsPrincipal user, string resource, string needed)
    {
        var granting = Parse(user)
            .Where(s => s.ResourceType == "*" || s.ResourceType == resource)
            .Where(s => needed.All(s.Permissions.Contains))
            .ToList();
        if (granting.Any(s => s.Context is "system" or "user"))
            return PatientAccess.AnyPatient;
        if (granting.Count > 0 && TokenPatient(user) is { } patient)
            return new PatientAccess(true, patient);
        return PatientAccess.None;
    }

    public static bool Grants(ClaimsPrincipal user, string resource, string needed) =>
        Access(user, resource, needed).Granted;

    /// <summary>The token's patient context as "Patient/id" (SMART's "patient" claim holds the id).</summary>
    private static string? TokenPatient(ClaimsPrincipal user)
    {
        var value = user.FindFirst("patient")?.Value;
        if (value is null)
            return null;
        var id = value.StartsWith("Patient/", StringComparison.Ordinal) ? value["Patient/".Length..] : value;
        return FhirId().IsMatch(id) ? $"Patient/{id}" : null;
    }

    // SMART App Launch 2.0 §Scopes for requesting FHIR resources; letters c, r, u, d, s each optional, in that order.
    [GeneratedRegex(
        @"^(?<context>patient|user|system)/(?<type>\*|[A-Z][A-Za-z]{0,63})"
            + @"\.(?<permissions>\*|read|write|c?r?u?d?s?)$"
    )]
    private static partial Regex Grammar();

    [GeneratedRegex(@"^[A-Za-z0-9\-\.]{1,64}$")]
    private static partial Regex FhirId();
}
