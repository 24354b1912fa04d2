namespace Clinical.Models.Evaluation;

/// <summary>
/// One subgroup a case belongs to: a dimension (sex, age band, note language) and its value. A case belongs to one
/// group per dimension its input carries, except note language, where a patient with notes in two languages is in
/// both.
/// </summary>
public sealed record Subgroup(string Dimension, string Name)
{
    public const string Sex = "sex";
    public const string Age = "age";
    public const string Language = "note language";
    public const string Unknown = "unknown";

    /// <summary>Age bands in years at the date the case is seen.</summary>
    public static readonly IReadOnlyList<string> AgeBands = ["< 65", "65–74", "75–84", "≥ 85"];

    private static readonly string[] Dimensions = [Sex, Age, Language];

    public static Subgroup OfSex(string? sex) => new(Sex, string.IsNullOrWhiteSpace(sex) ? Unknown : sex);

    public static Subgroup OfAge(int? years) =>
        new(
            Age,
            years switch
            {
                null => Unknown,
                < 65 => AgeBands[0],
                < 75 => AgeBands[1],
                < 85 => AgeBands[2],
                _ => AgeBands[3],
            }
        );

    /// <summary>One group per distinct language; "unknown" when none is given.</summary>
    public static IEnumerable<Subgroup> OfLanguages(IEnumerable<string?> languages)
    {
        var known = languages
            .Select(l => string.IsNullOrWhiteSpace(l) ? Unknown : l)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return (known.Count == 0 ? [Unknown] : known).Select(l => new Subgroup(Language, l));
    }

    /// <summary>Report order: sex, age, language; age bands youngest first; unknown and none last.</summary>
    public static IOrderedEnumerable<Subgroup> InReportOrder(IEnumerable<Subgroup> groups) =>
        groups
            .OrderBy(g => Array.IndexOf(Dimensions, g.Dimension) is var i and >= 0 ? i : Dimensions.Length)
            .ThenBy(g => g.Dimension, StringComparer.Ordinal)
            .ThenBy(g => g.Name is Unknown or "none" ? 1 : 0)
            .ThenBy(g => g.Dimension == Age ? IndexOfBand(g.Name) : 0)
            .ThenBy(g => g.Name, StringComparer.Ordinal);

    public override string ToString() => $"{Dimension} {Name}";

    private static int IndexOfBand(string name)
    {
        for (var i = 0; i < AgeBands.Count; i++)
            if (AgeBands[i] == name)
                return i;
        return AgeBands.Count;
    }
}
