using System.Globalization;
using System.Text;
using Clinical.Api.Features.Screening;
using Clinical.Api.Hosting;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Output;
using Clinical.Fhir.Parsing;
using Clinical.Models.Scoring;
using Clinical.Tests;
using Hl7.Fhir.Model;

namespace Clinical.Api.Tests.Features.Screening;

/// <summary>
/// The guideline floor as a property: thousands of generated FHIR records with guideline-positive evidence (ESC 2021:
/// latest NT-proBNP ≥ 125 pg/mL or BNP ≥ 35 pg/mL, or an LVEF ≤ 49 % with no later normal one) and no HF diagnosis,
/// with random ages, sexes, peptide kinds, units, comparators and dates (old ones too), LVEFs, vitals, comorbidities,
/// drugs and notes in four languages, go through extraction, the mapping, the committed tabular model and stack, and
/// the FHIR builder: none is low or negligible, each gets a Flag, and the probability shown reads as the level. Fixed
/// seed, so CI sees the same records every run.
/// </summary>
public sealed class GuidelineFloorPropertyTests
{
    private const int Records = 3000;
    private const int Seed = 20260630;
    private static readonly DateOnly AsOf = new(2026, 6, 30);
    private static readonly DateTimeOffset AsOfInstant = new(2026, 6, 30, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Notes =
    [
        "Refiere disnea de esfuerzo. Edemas maleolares bilaterales.",
        "Niega ortopnea. Sin edemas. Control de HTA.",
        "Probable insuficiencia venosa. Descarta disnea.",
        "Dispnea d'esforç i edemes mal·leolars. Crepitants bibasals.",
        "Nega ortopnea. Sense edemes.",
        "Dispnea de esforzo. Nocelos inchados.",
        "Arnasestua ibiltzean. Orkatilak puztuta.",
        "Control rutinario, asintomático. Tensión bien controlada.",
        "Ganancia de 3 kg en una semana. Astenia.",
    ];

    private static readonly (string System, string Code, string Display)[] Drugs =
    [
        ("http://www.whocc.no/atc", "C03CA01", "furosemida"),
        ("http://www.whocc.no/atc", "C03DA01", "espironolactona"),
        ("http://www.whocc.no/atc", "C09DX04", "sacubitrilo/valsartán"),
        ("http://www.whocc.no/atc", "A10BK01", "dapagliflozina"),
        ("http://www.whocc.no/atc", "C07AB07", "bisoprolol"),
        ("http://www.whocc.no/atc", "C09AA02", "enalapril"),
        ("http://www.whocc.no/atc", "C08CA01", "amlodipino"),
        ("http://www.nlm.nih.gov/research/umls/rxnorm", "4603", "furosemide"),
        ("http://www.nlm.nih.gov/research/umls/rxnorm", "29046", "lisinopril"),
    ];

    private static readonly string[] Comorbidities = ["I10", "I48.0", "E11.9", "N18.3", "I25.1", "J44.9", "E66.9"];

    private static readonly Lazy<RiskEngine> Engine = new(() =>
        RiskEngineLoader.Load(FixtureFiles.PathOf("models", "hf-tabular"), null)
    );

    [Fact]
    public void Given_thousands_of_guideline_positive_records_When_screened_Then_none_is_low_and_each_is_flagged()
    {
        var random = new Random(Seed);
        var engine = Engine.Value;
        var thresholds = engine.Combiner.Thresholds;
        var extractor = new PatientRecordExtractor();
        var failures = new List<string>();
        var floorDecided = 0;
        for (var i = 0; i < Records; i++)
        {
            var (resources, description) = Record(random, i);
            var record = Assert.Single(extractor.Extract(resources, AsOf, "generated").Patients);
            var estimate = engine.Assess(ScreeningMapping.ToRiskInput(record));
            var report = ScreeningMapping.ToReport(record, estimate, AsOfInstant, "es");
            var built = ScreeningResourceBuilder.Build(report, "Device/x");
            floorDecided += estimate.Floor is { Decided: true } ? 1 : 0;
            var consistent =
                estimate.Category == RiskCategory.High
                    ? report.Probability >= (decimal)thresholds.High
                    : report.Probability >= (decimal)thresholds.Moderate
                        && report.Probability < (decimal)thresholds.High;
            if (
                estimate.Category is not (RiskCategory.Moderate or RiskCategory.High)
                || built.Flag is null
                || estimate.Floor is null
                || !consistent
            )
                failures.Add($"{description}: {estimate.Category} {report.Probability} — {estimate.Rationale}");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {Records}:\n{string.Join("\n", failures.Take(10))}");
        // The floor must have had work to do, or the property says nothing about it.
        Assert.True(floorDecided > Records / 10, $"the floor decided only {floorDecided} of {Records}");
    }

    /// <summary>One patient with guideline-positive evidence, as FHIR resources, and a line describing it.</summary>
    private static (IReadOnlyList<AcceptedResource> Resources, string Description) Record(Random random, int index)
    {
        var id = $"p{index}";
        var subject = new ResourceReference($"Patient/{id}");
        var resources = new List<Resource>();
        var patient = new Patient
        {
            Id = id,
            Gender = random.Next(4) switch
            {
                0 => AdministrativeGender.Female,
                1 => AdministrativeGender.Male,
                2 => AdministrativeGender.Other,
                _ => null,
            },
            BirthDate =
                random.Next(20) == 0 ? null : Iso(AsOf.AddYears(-random.Next(18, 101)).AddDays(-random.Next(365))),
        };
        resources.Add(patient);

        // Which guideline criterion holds: 0 peptide, 1 LVEF, 2 both.
        var mode = random.Next(3);
        var peptideDay = DaysAgo(random);
        var lvefDay = DaysAgo(random);
        var description = new StringBuilder($"{id} mode {mode}");
        if (mode is 0 or 2)
        {
            var bnp = random.Next(4) == 0;
            var threshold = bnp ? 35.0 : 125.0;
            var value = threshold * Math.Exp(random.NextDouble() * Math.Log(bnp ? 100 : 200));
            resources.Add(
                Peptide(subject, bnp, value, random, peptideDay, comparator: random.Next(15) == 0 ? ">" : null)
            );
            description.Append($" {(bnp ? "BNP" : "NT-proBNP")} {value:0} pg/mL {peptideDay:yyyy-MM-dd}");
            for (var earlier = random.Next(3); earlier > 0; earlier--)
                resources.Add(
                    Peptide(subject, random.Next(2) == 0, 20 + random.NextDouble() * 3000, random, Before(peptideDay))
                );
        }
        else if (random.Next(2) == 0)
        {
            // A normal latest peptide: the LVEF alone must hold the floor.
            var bnp = random.Next(3) == 0;
            resources.Add(Peptide(subject, bnp, random.NextDouble() * (bnp ? 34 : 124), random, peptideDay));
        }
        if (mode is 1 or 2)
        {
            var lvef = Math.Round(10 + random.NextDouble() * 39.5, random.Next(2));
            resources.Add(Lvef(subject, lvef, lvefDay, random));
            description.Append($" LVEF {lvef} % {lvefDay:yyyy-MM-dd}");
            if (random.Next(3) == 0)
                resources.Add(Lvef(subject, 50 + random.Next(25), Before(lvefDay), random));
        }
        else if (random.Next(3) == 0)
        {
            resources.Add(Lvef(subject, 50 + random.Next(25), DaysAgo(random), random));
        }

        foreach (var code in Comorbidities.Where(_ => random.Next(4) == 0))
            resources.Add(
                new Condition
                {
                    Id = $"{id}-{code}",
                    Subject = subject,
                    Code = new CodeableConcept("http://hl7.org/fhir/sid/icd-10", code),
                    Onset = new FhirDateTime(Iso(DaysAgo(random))),
                }
            );
        foreach (var (system, code, display) in Drugs.Where(_ => random.Next(5) == 0))
            resources.Add(
                new MedicationStatement
                {
                    Id = $"{id}-{code}",
                    Status = MedicationStatement.MedicationStatusCodes.Active,
                    Subject = subject,
                    Medication = new CodeableConcept(system, code, display),
                    Effective = new FhirDateTime(Iso(DaysAgo(random))),
                }
            );
        for (var visit = random.Next(4); visit > 0; visit--)
        {
            var day = DaysAgo(random);
            resources.Add(Vital(subject, "39156-5", 19 + random.NextDouble() * 20, "kg/m2", day));
            resources.Add(Vital(subject, "8480-6", 100 + random.Next(70), "mm[Hg]", day));
            resources.Add(Vital(subject, "8867-4", 50 + random.Next(60), "/min", day));
            resources.Add(Vital(subject, "29463-7", 50 + random.NextDouble() * 60, "kg", day));
            resources.Add(Vital(subject, "62238-1", 20 + random.Next(80), "mL/min/{1.73_m2}", day));
        }
        for (var note = random.Next(4); note > 0; note--)
        {
            var text = Notes[random.Next(Notes.Length)];
            resources.Add(
                new DocumentReference
                {
                    Id = $"{id}-note{note}",
                    Status = DocumentReferenceStatus.Current,
                    Subject = subject,
                    Date = new DateTimeOffset(DaysAgo(random).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
                    Content =
                    [
                        new DocumentReference.ContentComponent
                        {
                            Attachment = new Attachment
                            {
                                ContentType = "text/plain",
                                Data = Encoding.UTF8.GetBytes(text),
                            },
                        },
                    ],
                }
            );
        }
        return (
            resources.Select(r => new AcceptedResource(r, null, $"{r.TypeName}/{r.Id}")).ToList(),
            description.ToString()
        );
    }

    /// <summary>Up to six years back, so some evidence is older than the two years a peptide stays fresh.</summary>
    private static DateOnly DaysAgo(Random random) => AsOf.AddDays(-random.Next(0, 6 * 365));

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly Before(DateOnly day) => day.AddDays(-1 - (day.DayNumber % 400));

    private static Observation Peptide(
        ResourceReference subject,
        bool bnp,
        double pgPerMl,
        Random random,
        DateOnly day,
        string? comparator = null
    )
    {
        // The same amount in the units labs report it in: pg/mL, ng/L, or pmol/L (NT-proBNP 8.457, BNP 3.467 pg/pmol).
        var unit = random.Next(3) switch
        {
            0 => "pg/mL",
            1 => "ng/L",
            _ => "pmol/L",
        };
        var value = unit == "pmol/L" ? pgPerMl / (bnp ? 3.467 : 8.457) : pgPerMl;
        if (unit == "pmol/L")
            value = Math.Ceiling(value * 100) / 100; // rounded up, so the amount stays at or above the threshold
        var code =
            bnp ? "30934-4"
            : random.Next(4) == 0 ? "71425-3"
            : "33762-6";
        return new Observation
        {
            Id = $"{subject.Reference![8..]}-{code}-{day:yyyyMMdd}-{random.Next(1000)}",
            Status = ObservationStatus.Final,
            Subject = subject,
            Code = new CodeableConcept("http://loinc.org", code),
            Effective = new FhirDateTime(Iso(day)),
            Value = new Quantity
            {
                Value = (decimal)Math.Round(value, 2, MidpointRounding.ToPositiveInfinity),
                Unit = unit,
                System = "http://unitsofmeasure.org",
                Code = unit,
                Comparator = comparator == ">" ? Quantity.QuantityComparator.GreaterThan : null,
            },
        };
    }

    private static Observation Lvef(ResourceReference subject, double percent, DateOnly day, Random random) =>
        new()
        {
            Id = $"{subject.Reference![8..]}-lvef-{day:yyyyMMdd}-{random.Next(1000)}",
            Status = ObservationStatus.Final,
            Subject = subject,
            Code = new CodeableConcept(
                "http://loinc.org",
                random.Next(3) switch
                {
                    0 => "10230-1",
                    1 => "18043-0",
                    _ => "8806-2",
                }
            ),
            Effective = new FhirDateTime(Iso(day)),
            Value = new Quantity((decimal)percent, "%"),
        };

    private static Observation Vital(
        ResourceReference subject,
        string loinc,
        double value,
        string unit,
        DateOnly day
    ) =>
        new()
        {
            Id = $"{subject.Reference![8..]}-{loinc}-{day:yyyyMMdd}",
            Status = ObservationStatus.Final,
            Subject = subject,
            Code = new CodeableConcept("http://loinc.org", loinc),
            Effective = new FhirDateTime(Iso(day)),
            Value = new Quantity((decimal)Math.Round(value, 1), unit),
        };
}
