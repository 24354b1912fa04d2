namespace Clinical.Synthetic;

public enum CohortFormat
{
    Bundles,
    Ndjson,
}

/// <summary>
/// Settings of one synthetic cohort. <see cref="AsOf"/> defaults to 2026-06-30 so that a run
/// without it is reproducible; nothing reads the clock.
/// </summary>
/// <param name="Patients">Number of adults to generate.</param>
/// <param name="Seed">Same seed and options give byte-identical output.</param>
/// <param name="HfShare">
/// Share of patients with heart failure (diagnosed or not). Null keeps the age-specific
/// epidemiological rates (about 2 % of adults); a value enriches the cohort for training and tests
/// while keeping the age profile of HF and non-HF patients.
/// </param>
/// <param name="UndiagnosedShare">Share of HF patients still uncoded at <see cref="AsOf"/> (an assumption, see <see
/// cref="Epidemiology"/>).</param>
/// <param name="Languages">Note languages allowed; notes that would be written in an excluded language are written in
/// Spanish.</param>
/// <param name="HistoryYears">Years of primary-care history before <see cref="AsOf"/>.</param>
public sealed record CohortOptions(
    int Patients,
    long Seed,
    CohortFormat Format = CohortFormat.Bundles,
    DateOnly? AsOf = null,
    IReadOnlyList<NoteLanguage>? Languages = null,
    double? HfShare = null,
    double UndiagnosedShare = Epidemiology.DefaultUndiagnosedShare,
    int HistoryYears = 5
)
{
    public static readonly DateOnly DefaultAsOf = new(2026, 6, 30);

    /// <summary>
    /// The small committed fixture cohort under fixtures/cohort/: 60 patients, 30 % with HF, seed 20260630.
    /// Regenerate with <c>new CohortGenerator(CohortOptions.Fixture()).WriteTo("fixtures/cohort")</c>.
    /// </summary>
    public static CohortOptions Fixture(CohortFormat format = CohortFormat.Ndjson) =>
        new(Patients: 60, Seed: 20260630, Format: format, HfShare: 0.3);

    public DateOnly AsOfDate => AsOf ?? DefaultAsOf;

    public IReadOnlyList<NoteLanguage> NoteLanguages => Languages is { Count: > 0 } ? Languages : NoteLanguageCodes.All;

    public double EffectiveHfShare => HfShare ?? Epidemiology.NaturalHfShare;

    public void Validate()
    {
        if (Patients < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Patients), Patients, "Patients must be zero or more.");
        }
        if (HfShare is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(HfShare), HfShare, "HfShare must lie in [0, 1].");
        }
        if (UndiagnosedShare is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(UndiagnosedShare),
                UndiagnosedShare,
                "UndiagnosedShare must lie in [0, 1]."
            );
        }
        if (HistoryYears is < 1 or > 30)
        {
            throw new ArgumentOutOfRangeException(
                nameof(HistoryYears),
                HistoryYears,
                "HistoryYears must lie in [1, 30]."
            );
        }
    }
}

public enum NoteLanguage
{
    Spanish,
    Catalan,
    Galician,
    Basque,
}

public static class NoteLanguageCodes
{
    public static readonly IReadOnlyList<NoteLanguage> All =
    [
        NoteLanguage.Spanish,
        NoteLanguage.Catalan,
        NoteLanguage.Galician,
        NoteLanguage.Basque,
    ];

    public static string ToCode(this NoteLanguage language) =>
        language switch
        {
            NoteLanguage.Spanish => "es",
            NoteLanguage.Catalan => "ca",
            NoteLanguage.Galician => "gl",
            NoteLanguage.Basque => "eu",
            _ => throw new ArgumentOutOfRangeException(nameof(language), language, null),
        };

    public static NoteLanguage Parse(string code) =>
        code.Trim().ToLowerInvariant() switch
        {
            "es" => NoteLanguage.Spanish,
            "ca" => NoteLanguage.Catalan,
            "gl" => NoteLanguage.Galician,
            "eu" => NoteLanguage.Basque,
            _ => throw new ArgumentException(
                $"Unknown note language '{code}'; expected es, ca, gl or eu.",
                nameof(code)
            ),
        };

    /// <summary>Parses a comma-separated list such as "es,ca,eu,gl".</summary>
    public static IReadOnlyList<NoteLanguage> ParseList(string codes) =>
        codes
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Parse)
            .Distinct()
            .ToArray();
}
