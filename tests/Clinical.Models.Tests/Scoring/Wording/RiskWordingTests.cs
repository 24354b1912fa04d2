using System.Text.RegularExpressions;
using Clinical.Models.Language;
using Clinical.Models.Scoring;
using Clinical.Models.Scoring.Evidence;
using Clinical.Models.Scoring.Wording;
using Clinical.Models.Tests.Scoring.Evidence;

namespace Clinical.Models.Tests.Scoring.Wording;

public sealed partial class RiskWordingTests
{
    private static readonly DateTimeOffset March12 = new(2026, 3, 12, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A flagged patient with every kind of finding the engine words.</summary>
    private static RiskEstimate Flagged()
    {
        var input = GuidelineEvidenceTests.Patient(
            age: 78,
            peptides:
            [
                GuidelineEvidenceTests.NtProBnp(1450, 2, "Observation/new"),
                GuidelineEvidenceTests.NtProBnp(2100, 9, "Observation/max"),
            ]
        ) with
        {
            Vitals = [new VitalValue(VitalKind.Lvef, 44, GuidelineEvidenceTests.MonthsAgo(40), "Observation/echo")],
            Comorbidities =
            [
                new ComorbidityFact(Comorbidity.AtrialFibrillation, "FA", GuidelineEvidenceTests.MonthsAgo(30), "C/fa"),
                new ComorbidityFact(Comorbidity.ChronicKidneyDisease, "ERC", null, "C/erc"),
            ],
            Treatments =
            [
                new TreatmentFact(Treatment.LoopDiuretic, "furosemida", GuidelineEvidenceTests.MonthsAgo(3), "M/f"),
                new TreatmentFact(Treatment.MineralocorticoidAntagonist, "espironolactona", null, "M/e"),
            ],
            Notes =
            [
                new NoteText(
                    "Refiere disnea de esfuerzo y ortopnea. Niega edemas. Probable DPN.",
                    "es",
                    GuidelineEvidenceTests.MonthsAgo(1),
                    "DocumentReference/n"
                ),
            ],
        };
        return RiskEngine.RulesOnly().Assess(input);
    }

    private static readonly string[] OverrideReasonCodes =
    [
        "already-evaluated",
        "alternative-explanation",
        "patient-declined",
        "not-appropriate",
    ];

    private static readonly string[] EnglishWords =
    [
        "negligible",
        "low",
        "moderate",
        "high",
        "certain",
        "probability",
        "evidence",
        "missing",
        "confidence",
        "note",
    ];

    [Theory]
    [InlineData("es")]
    [InlineData("ca")]
    [InlineData("gl")]
    [InlineData("eu")]
    public void Given_a_flagged_estimate_When_worded_Then_no_English_code_and_no_decimal_point_in_the_sentences(
        string language
    )
    {
        var wording = RiskWording.For(language);

        var text = wording.Note(Flagged());

        // English words only where they are the same word in the language (Catalan "negligible").
        foreach (var word in EnglishWords.Where(w => !(language == "ca" && w == "negligible")))
            Assert.DoesNotMatch($@"(?i)\b{word}\b", text);
        Assert.DoesNotMatch(DecimalPoint(), text);
        Assert.Matches(language == "eu" ? @"\(% \d+\)" : @"\(\d+ %\)", text);
    }

    [Fact]
    public void Given_each_language_When_worded_Then_clinical_terms_numbers_and_dates_are_that_language()
    {
        var estimate = Flagged();

        var es = RiskWording.For("es").Note(estimate);
        var ca = RiskWording.For("ca").Note(estimate);
        var gl = RiskWording.For("gl").Note(estimate);
        var eu = RiskWording.For("eu").Note(estimate);

        Assert.Contains("NT-proBNP 1.450 pg/mL (30/04/2026) por encima de 125", es, StringComparison.Ordinal);
        Assert.Contains("FEVI 44 % (28/02/2023): ligeramente reducida", es, StringComparison.Ordinal);
        Assert.Contains("NT-proBNP 1.450 pg/mL (30/04/2026) per sobre de 125", ca, StringComparison.Ordinal);
        Assert.Contains("FEVE 44 % (28/02/2023): lleugerament reduïda", ca, StringComparison.Ordinal);
        Assert.Contains("dispnea d'esforç", ca, StringComparison.Ordinal);
        Assert.Contains("Risc ", ca, StringComparison.Ordinal);
        Assert.Contains("NT-proBNP 1.450 pg/mL (30/04/2026) por riba de 125", gl, StringComparison.Ordinal);
        Assert.Contains("FEVE 44 % (28/02/2023): lixeiramente reducida", gl, StringComparison.Ordinal);
        Assert.Contains("Risco ", gl, StringComparison.Ordinal);
        Assert.Contains("NT-proBNP 1.450 pg/mL (2026/04/30) atalasetik gora (125)", eu, StringComparison.Ordinal);
        Assert.Contains("EBEF % 44 (2023/02/28): apur bat murriztua", eu, StringComparison.Ordinal);
        Assert.Contains("esfortzuzko disnea", eu, StringComparison.Ordinal);
        Assert.Contains("Arrisku ", eu, StringComparison.Ordinal);
        // An LVEF over two years old asks for a new echocardiogram in each language.
        Assert.Contains("de hace 3 años: repetir ecocardiograma", es, StringComparison.Ordinal);
        Assert.Contains("de fa 3 anys: repetir l'ecocardiograma", ca, StringComparison.Ordinal);
        Assert.Contains("de hai 3 anos: repetir o ecocardiograma", gl, StringComparison.Ordinal);
        Assert.Contains("duela 3 urte: errepikatu ekokardiograma", eu, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_every_value_of_every_worded_enum_When_each_language_words_it_Then_it_is_never_empty()
    {
        foreach (var language in RiskWording.Languages)
        {
            var phrases = RiskWording.For(language).Phrases;
            var texts = new List<string>();
            texts.AddRange(Enum.GetValues<RiskCategory>().SelectMany(c => new[] { phrases.Level(c), phrases.Risk(c) }));
            texts.AddRange(Enum.GetValues<ClinicalConcept>().Select(phrases.Sign));
            texts.AddRange(Enum.GetValues<Assertion>().Select(phrases.SignState));
            texts.AddRange(Enum.GetValues<EjectionFractionCategory>().Select(phrases.EjectionFractionBand));
            texts.AddRange(Enum.GetValues<DrugReason>().Select(r => phrases.Drug("x", r)));
            texts.AddRange(Enum.GetValues<MissingData>().Select(phrases.Missing));
            texts.AddRange(Enum.GetValues<H2FpefComponent>().Select(c => phrases.H2FpefItem(c, "1")));
            texts.AddRange(Enum.GetValues<H2FpefInput>().Select(phrases.H2FpefMissingInput));
            texts.AddRange(Enum.GetValues<TrendDirection>().Select(d => phrases.Trend(d, "1")));
            texts.AddRange(OverrideReasonCodes.Select(phrases.OverrideReason));

            Assert.All(texts, t => Assert.False(string.IsNullOrWhiteSpace(t), language));
            Assert.Equal(language, phrases.Language);
        }
    }

    [Theory]
    [InlineData(null, "es")]
    [InlineData("en", "es")]
    [InlineData("ca-ES", "ca")]
    [InlineData("EU", "eu")]
    [InlineData("gl", "gl")]
    public void Given_a_language_code_When_wording_is_chosen_Then_known_languages_are_used_and_others_fall_back(
        string? asked,
        string chosen
    ) => Assert.Equal(chosen, RiskWording.For(asked).Language);

    [Theory]
    [InlineData(0.8612, "es", "86 %")]
    [InlineData(0.004, "es", "0,4 %")]
    [InlineData(0.9996, "ca", "99 %")]
    [InlineData(0.43, "eu", "% 43")]
    public void Given_a_probability_When_worded_Then_it_is_a_percentage_in_the_locale(
        double probability,
        string language,
        string expected
    ) => Assert.Equal(expected, RiskWording.For(language).Percent(probability));

    [Fact]
    public void Given_findings_When_listed_Then_numbered_lines_name_the_source_and_a_note_span()
    {
        Finding[] findings =
        [
            new("Observation/bnp", new PeptideFact(PeptideKind.NtProBnp, 870, null, 125, true, March12)),
            new(
                "DocumentReference/n",
                new NoteSignFact(ClinicalConcept.Oedema, Assertion.Affirmed, "edemas", March12.AddDays(-7))
            )
            {
                SpanStart = 110,
                SpanLength = 6,
            },
        ];

        Assert.Equal(
            "Evidencia:\n1. NT-proBNP 870 pg/mL (12/03/2026) por encima de 125 — Observation/bnp\n"
                + "2. Nota (05/03/2026): «edemas» (edemas, presente) — DocumentReference/n (caracteres 110–116)",
            RiskWording.Spanish.Evidence(findings)
        );
        Assert.EndsWith(
            "«edemas» (edemak, badago) — DocumentReference/n (110–116 karaktereak)",
            RiskWording.For("eu").Evidence(findings),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Given_more_findings_than_shown_When_listed_Then_the_rest_is_counted_and_none_means_no_list()
    {
        var findings = Enumerable
            .Range(1, RiskWording.ShownEvidence + 3)
            .Select(i => new Finding($"M/m{i}", new DrugFact($"f{i}", DrugReason.MineralocorticoidAntagonist, null)))
            .ToList();

        var text = RiskWording.Spanish.Evidence(findings);

        Assert.Contains(
            $"\n{RiskWording.ShownEvidence}. f{RiskWording.ShownEvidence}: ",
            text,
            StringComparison.Ordinal
        );
        Assert.DoesNotContain($"f{RiskWording.ShownEvidence + 1}:", text, StringComparison.Ordinal);
        Assert.EndsWith("\n… y 3 más.", text, StringComparison.Ordinal);
        Assert.EndsWith("\n… i 3 més.", RiskWording.For("ca").Evidence(findings), StringComparison.Ordinal);
        Assert.Equal("", RiskWording.Spanish.Evidence([]));
    }

    /// <summary>A decimal point ("0.86", "12.5"); a grouping point ("1.450") is Spanish and allowed.</summary>
    [GeneratedRegex(@"(?<![\d.])\d+\.\d{1,2}(?![\d.])")]
    private static partial Regex DecimalPoint();
}
