using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Clinical.Api.Persistence;

namespace Clinical.Api.Features.Cohorts.Runs;

/// <summary>
/// Run ids are FHIR ids (letters, digits, '-' and '.', at most 64), so that they can be meta.tag codes, folder names
/// and URL segments as they are.
/// </summary>
public static partial class CohortRunIds
{
    public static bool IsValid(string? id) => id is not null && Id().IsMatch(id);

    public static string Invalid(string? id) =>
        $"run id '{id}' is not valid: use 1 to {CohortRun.MaxIdLength} letters, digits, '-' or '.'.";

    /// <summary>A new id: the UTC start time and 4 random hex digits (20260630-101500-3fa2).</summary>
    public static string New(DateTimeOffset now) =>
        $"{now.UtcDateTime:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";

    [GeneratedRegex(@"^[A-Za-z0-9\-\.]{1,64}$")]
    private static partial Regex Id();
}
