using System.Collections.Immutable;
using Clinical.Fhir.Extraction;

namespace Clinical.Synthetic.People;

/// <summary>
/// Age- and sex-specific rates of the synthetic adult population attending Spanish primary care.
/// Age bands: 18–44, 45–54, 55–64, 65–74, 75–84, ≥85.
/// Figures marked "source" are anchored on a published Spanish study (overall value quoted);
/// the age gradient across bands is a smooth fit to that anchor, not a table from the paper.
/// Figures marked "assumption" have no single Spanish source here and are plausible values only.
/// </summary>
public static class Epidemiology
{
    public static readonly IReadOnlyList<(int From, int To)> AgeBands =
    [
        (18, 44),
        (45, 54),
        (55, 64),
        (65, 74),
        (75, 84),
        (85, 99),
    ];

    /// <summary>
    /// Adult age structure, rounded from INE Padrón continuo 2023 (population ≥18 y): about 24 % aged ≥65,
    /// 11–12 % aged ≥75.
    /// </summary>
    internal static readonly double[] AgeShare = [0.40, 0.19, 0.165, 0.13, 0.08, 0.035];

    /// <summary>
    /// Share of women by age band (INE, same source): near parity until 65, about two thirds from 85.
    /// </summary>
    internal static readonly double[] FemaleShare = [0.49, 0.50, 0.51, 0.53, 0.56, 0.65];

    /// <summary>
    /// HF (diagnosed or not) by age band. Shape from PRICE (Anguita Sánchez M et al., Rev Esp Cardiol
    /// 2008;61:1041-9: 6.8 % of people ≥45 y attending primary care, 1.3 % at 45–54, 5.5 % at 55–64,
    /// 8 % at 65–74 and 16.1 % at ≥75, similar in men and women), scaled down to the whole adult list
    /// of a practice so that the overall adult rate is about 2 % and above 75 about 10 %
    /// (PRICE recruited patients attending consultations, an older and sicker group).
    /// </summary>
    internal static readonly double[] HfRate = [0.001, 0.005, 0.012, 0.035, 0.085, 0.14];

    /// <summary>
    /// Share of HF patients without a coded diagnosis at the as-of date. Assumption: screening studies
    /// (PRICE among them) found a large part of HF unrecognised in primary care; 35 % is a round default.
    /// </summary>
    public const double DefaultUndiagnosedShare = 0.35;

    /// <summary>
    /// Phenotype split among HF in primary care (assumption; ESC 2021 reports about half of HF as HFpEF,
    /// higher in older women): HFrEF, HFmrEF, HFpEF.
    /// </summary>
    internal static readonly double[] PhenotypeShare = [0.33, 0.15, 0.52];

    internal sealed record ComorbidityRate(double[] ByAge, double MaleFactor, double FemaleFactor, double HfOddsRatio);

    /// <summary>
    /// The comorbidities the generator samples, in the order it draws them: the order fixes each seed's output.
    /// </summary>
    public static readonly ImmutableArray<ConditionCategory> GeneratedComorbidities =
    [
        ConditionCategory.Hypertension,
        ConditionCategory.Diabetes,
        ConditionCategory.AtrialFibrillation,
        ConditionCategory.Obesity,
        ConditionCategory.ChronicKidneyDisease,
        ConditionCategory.Copd,
        ConditionCategory.IschaemicHeartDisease,
    ];

    internal static readonly IComparer<ConditionCategory> DrawOrder = Comparer<ConditionCategory>.Create(
        (a, b) => GeneratedComorbidities.IndexOf(a).CompareTo(GeneratedComorbidities.IndexOf(b))
    );

    /// <summary>
    /// Prevalence by age band, sex factors and odds ratio among HF patients.
    /// Hypertension — source: Di@bet.es (Menéndez E et al., Rev Esp Cardiol 2016;69:572-8: 42.6 % of adults)
    ///   and ENRICA (Banegas JR et al., Hypertension 2012;60:898-905: about 33 %); the table gives about 38 %.
    /// Diabetes — source: Di@bet.es (Soriguer F et al., Diabetologia 2012;55:88-93: 13.8 % of adults, known
    ///   and unknown); table about 13 %.
    /// Atrial fibrillation — source: OFRECE (Gómez-Doblas JJ et al., Rev Esp Cardiol 2014;67:259-69: 4.4 %
    ///   of people ≥40 y, 17.7 % ≥80 y).
    /// Obesity — source: ENRICA (Gutiérrez-Fisac JL et al., Obes Rev 2012;13:388-92: 22.9 % of adults).
    /// CKD stage 3–5 — source: EPIRCE (Otero A et al., Nefrología 2010;30:78-86: 6.8 % of adults, about
    ///   21 % of those >64 y).
    /// COPD — source: EPISCAN (Miravitlles M et al., Thorax 2009;64:863-8: 10.2 % at 40–80 y, men about
    ///   three times women).
    /// Ischaemic heart disease — assumption (about 3–4 % of adults, rising to 14 % from 85 y, men more).
    /// HF odds ratios — assumption, chosen so that HF patients carry the comorbidity load seen in Spanish
    ///   HF registries (mostly hypertensive, about 40 % AF, 30–40 % diabetes).
    /// </summary>
    internal static readonly IReadOnlyDictionary<ConditionCategory, ComorbidityRate> Comorbidities = new Dictionary<
        ConditionCategory,
        ComorbidityRate
    >
    {
        [ConditionCategory.Hypertension] = new([0.15, 0.35, 0.52, 0.66, 0.75, 0.78], 1.08, 0.93, 3.0),
        [ConditionCategory.Diabetes] = new([0.035, 0.11, 0.19, 0.26, 0.30, 0.27], 1.2, 0.82, 2.0),
        [ConditionCategory.AtrialFibrillation] = new([0.002, 0.007, 0.025, 0.06, 0.12, 0.18], 1.15, 0.88, 6.0),
        [ConditionCategory.Obesity] = new([0.16, 0.25, 0.29, 0.30, 0.25, 0.18], 1.0, 1.0, 2.0),
        [ConditionCategory.ChronicKidneyDisease] = new([0.005, 0.02, 0.05, 0.12, 0.24, 0.35], 0.95, 1.05, 3.0),
        [ConditionCategory.Copd] = new([0.004, 0.05, 0.09, 0.14, 0.16, 0.15], 1.5, 0.5, 2.0),
        [ConditionCategory.IschaemicHeartDisease] = new([0.003, 0.015, 0.04, 0.08, 0.12, 0.14], 1.5, 0.55, 4.0),
    };

    /// <summary>
    /// Anaemia (WHO haemoglobin thresholds) by age band — assumption, higher in young women and the very old.
    /// </summary>
    internal static readonly ComorbidityRate Anaemia = new([0.04, 0.04, 0.04, 0.07, 0.12, 0.20], 0.7, 1.3, 1.8);

    /// <summary>
    /// Chronic venous insufficiency with ankle oedema by age band — assumption, women about twice men.
    /// </summary>
    internal static readonly ComorbidityRate VenousInsufficiency = new(
        [0.02, 0.05, 0.08, 0.11, 0.14, 0.15],
        0.6,
        1.35,
        1.0
    );

    /// <summary>Share of hypertensive patients on amlodipine — assumption.</summary>
    internal const double AmlodipineAmongHypertensive = 0.25;

    /// <summary>
    /// Share of amlodipine users with ankle oedema — assumption (dose-dependent, commonly quoted 5–25 %).
    /// </summary>
    internal const double OedemaAmongAmlodipineUsers = 0.3;

    /// <summary>Share of COPD patients with exacerbations within the history window — assumption.</summary>
    internal const double ExacerbatorsAmongCopd = 0.45;

    /// <summary>HF share of adults from the age-specific rates and the age structure (about 0.02).</summary>
    public static double NaturalHfShare { get; } = AgeShare.Zip(HfRate, (a, r) => a * r).Sum();

    internal static double WithOddsRatio(double p, double oddsRatio) => oddsRatio * p / (1 - p + oddsRatio * p);

    internal static double SexAdjusted(ComorbidityRate rate, int band, bool female) =>
        Math.Min(0.95, rate.ByAge[band] * (female ? rate.FemaleFactor : rate.MaleFactor));

    /// <summary>Age-band weights of HF (true) or non-HF (false) patients.</summary>
    internal static double[] AgeWeights(bool hf) =>
        AgeShare.Select((a, i) => a * (hf ? HfRate[i] : 1 - HfRate[i])).ToArray();

    /// <summary>
    /// Expected prevalence of a comorbidity in a cohort with the given HF share, integrating the tables
    /// over age band, sex and HF status exactly as <see cref="Population"/> samples them.
    /// </summary>
    public static double ExpectedPrevalence(ConditionCategory comorbidity, double hfShare)
    {
        var rate = Comorbidities[comorbidity];
        return hfShare * Expected(rate, hf: true) + (1 - hfShare) * Expected(rate, hf: false);
    }

    private static double Expected(ComorbidityRate rate, bool hf)
    {
        var weights = AgeWeights(hf);
        var total = weights.Sum();
        var sum = 0.0;
        for (var band = 0; band < weights.Length; band++)
        {
            var female = FemaleShare[band];
            var p = female * SexAdjusted(rate, band, true) + (1 - female) * SexAdjusted(rate, band, false);
            var pf = SexAdjusted(rate, band, true);
            var pm = SexAdjusted(rate, band, false);
            p = hf
                ? female * WithOddsRatio(pf, rate.HfOddsRatio) + (1 - female) * WithOddsRatio(pm, rate.HfOddsRatio)
                : p;
            sum += weights[band] / total * p;
        }
        return sum;
    }

    /// <summary>Share of adults aged 75 or more with HF at the natural rates (about 0.10).</summary>
    public static double NaturalHfShareAged75Plus { get; } =
        (AgeShare[4] * HfRate[4] + AgeShare[5] * HfRate[5]) / (AgeShare[4] + AgeShare[5]);

    /// <summary>
    /// Regions and the share of notes written in their co-official language.
    /// Population shares rounded from INE 2023; the note shares are assumptions (Catalan is common in
    /// Catalan primary-care records, Galician and Basque much less, Valencian rare).
    /// </summary>
    internal static readonly IReadOnlyList<(
        string Region,
        double PopulationShare,
        NoteLanguage Language,
        double NoteShare
    )> Regions =
    [
        ("Catalunya", 0.163, NoteLanguage.Catalan, 0.45),
        ("Comunitat Valenciana", 0.108, NoteLanguage.Catalan, 0.08),
        ("Illes Balears", 0.026, NoteLanguage.Catalan, 0.25),
        ("Galicia", 0.056, NoteLanguage.Galician, 0.18),
        ("Euskadi", 0.046, NoteLanguage.Basque, 0.22),
        ("Navarra", 0.014, NoteLanguage.Basque, 0.05),
        ("Madrid", 0.144, NoteLanguage.Spanish, 0),
        ("Andalucía", 0.179, NoteLanguage.Spanish, 0),
        ("Castilla y León", 0.05, NoteLanguage.Spanish, 0),
        ("Castilla-La Mancha", 0.043, NoteLanguage.Spanish, 0),
        ("Canarias", 0.046, NoteLanguage.Spanish, 0),
        ("Aragón", 0.028, NoteLanguage.Spanish, 0),
        ("Región de Murcia", 0.032, NoteLanguage.Spanish, 0),
        ("Extremadura", 0.022, NoteLanguage.Spanish, 0),
        ("Asturias", 0.021, NoteLanguage.Spanish, 0),
        ("Cantabria", 0.012, NoteLanguage.Spanish, 0),
    ];

    /// <summary>
    /// Expected share of notes per language for the allowed languages (per note, ignoring visit counts).
    /// </summary>
    public static double ExpectedNoteShare(NoteLanguage language, IReadOnlyList<NoteLanguage> allowed)
    {
        var total = Regions.Sum(r => r.PopulationShare);
        var shares = NoteLanguageCodes.All.ToDictionary(l => l, _ => 0.0);
        foreach (var (_, population, regional, noteShare) in Regions)
        {
            var own = allowed.Contains(regional) ? noteShare : 0;
            shares[regional] += population / total * own;
            shares[NoteLanguage.Spanish] += population / total * (1 - own);
        }
        return shares[language];
    }
}
