using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;
using Clinical.Models.Evaluation;
using Clinical.Models.Scoring;
using FluentValidation;
using Mediator;

namespace Clinical.Api.Features.Cohorts;

/// <summary>
/// Evaluate the risk engine on a labelled cohort (Bulk Data folder + truth.ndjson): the combined engine (with its
/// guideline floor), the combination without the floor, and each component alone (rules, tabular, notes), overall,
/// per phenotype and per note language, with bootstrap CIs; the combined engine by sex, age band and note language;
/// optionally at deployment prevalences (prior shift from the prevalence the stacking records, or CalibratedAt); and
/// the lead time, screening each diagnosed patient at cut dates before the recorded diagnosis. Patients deceased by
/// the date are left out and counted.
/// </summary>
public sealed record EvaluateCohort(
    string DataFolder,
    string TruthPath,
    DateOnly AsOf,
    IReadOnlyList<double>? Prevalences = null,
    double? CalibratedAt = null
) : IRequest<CohortEvaluation>;

public sealed class EvaluateCohortValidator : AbstractValidator<EvaluateCohort>
{
    public EvaluateCohortValidator()
    {
        RuleFor(r => r.DataFolder).Must(Directory.Exists).WithMessage(r => $"No such folder: {r.DataFolder}");
        RuleFor(r => r.TruthPath).Must(File.Exists).WithMessage(r => $"No such file: {r.TruthPath}");
    }
}

public sealed class EvaluateCohortHandler(PatientRecordExtractor extractor, BulkExportReader reader, RiskEngine engine)
    : IRequestHandler<EvaluateCohort, CohortEvaluation>
{
    public static readonly int[] MonthsBefore = [1, 3, 6, 9, 12, 18, 24];
    private const int Parallelism = 2;

    public ValueTask<CohortEvaluation> Handle(EvaluateCohort request, CancellationToken cancellationToken)
    {
        var calibratedAt = request.Prevalences is { Count: > 0 }
            ? CalibratedPrevalence.Choose(
                request.CalibratedAt,
                CalibratedPrevalence.OfEngine(engine.Combiner, engine.Tabular?.Card),
                "the combined engine"
            )
            : null;
        // Each patient is scored as it is read (the undiagnosed and those without HF at the as-of date, the diagnosed
        // at their lead-time cuts), so no patient's resources outlive its own scoring.
        var patients = CohortPatients
            .FromFolder(reader, request.DataFolder, request.TruthPath, [], cancellationToken)
            .Where(p => p.Truth is not null)
            .AsParallel()
            .AsOrdered()
            .WithDegreeOfParallelism(Parallelism)
            .WithCancellation(cancellationToken)
            .Select(p =>
                p.Truth!.Status == "diagnosed"
                    ? new Outcome(null, LeadCases(p))
                    : new Outcome(Screen(p, request.AsOf), null)
            )
            .ToList();
        // Screening does not screen the dead, so neither does its evaluation: they are left out and counted.
        var deceased = patients.Count(p => p.Screened is { Case.Death: not null });
        var screened = patients.Where(p => p.Screened is { Case.Death: null }).Select(p => p.Screened!).ToList();
        var leadCases = patients.Where(p => p.Lead is not null).Select(p => p.Lead!).ToList();

        var threshold = engine.Combiner.Thresholds.Moderate;
        var metrics = new List<ComponentMetrics>();
        Measure(metrics, "all", screened, threshold);
        foreach (
            var phenotype in screened
                .Where(s => s.Case.Phenotype is not null)
                .Select(s => s.Case.Phenotype!)
                .Distinct()
                .Order(StringComparer.Ordinal)
        )
            Measure(
                metrics,
                $"phenotype {phenotype}",
                screened.Where(s => !s.Case.Positive || s.Case.Phenotype == phenotype).ToList(),
                threshold
            );
        foreach (var language in screened.SelectMany(s => s.Case.Languages).Distinct().Order(StringComparer.Ordinal))
        {
            var group = screened.Where(s => s.Case.Languages.Contains(language)).ToList();
            if (group.Any(s => s.Case.Positive) && group.Any(s => !s.Case.Positive))
                Measure(metrics, $"notes in {language}{NoteModelOf(language)}", group, threshold);
        }

        var leadTimes = new List<LeadTime>
        {
            Lead("combined", leadCases, s => CohortScoring.Decide(s, engine).Category >= RiskCategory.Moderate),
            Lead(
                "rules only (ESC default cut-off)",
                leadCases,
                s => s.Components.Rules >= StackedCombiner.Default.Thresholds.Moderate
            ),
        };
        var tabular = engine.Tabular is { Card: var card } ? $"{card.Name} {card.Version}" : "no tabular";
        var notes = engine.Notes is null ? "no note classifier" : $"note classifiers {engine.Notes.Describe()}";
        var engineName = $"{RiskEngine.Name} {RiskEngine.Version} ({tabular}, {notes})";
        var labels = CohortScoring.Labels(screened);
        var decided = screened.Select(s => CohortScoring.Decide(s, engine).Probability).ToList();
        var subgroups = SubgroupTable.Compute(labels, decided, threshold, screened.Select(Subgroups).ToList());
        // The flag is the engine's decision (with the floor); the probability shifted is the calibrated combination,
        // since a floored patient's shown probability is placed in the moderate band, not estimated.
        var flagged = decided.Select(p => p >= threshold).ToList();
        var learned = screened.Select(s => engine.Combiner.Combine(s.Components)).ToList();
        var atPrevalence = calibratedAt is null
            ? []
            : request
                .Prevalences!.Select(p =>
                    PrevalenceEstimate.Compute(labels, learned, threshold, p, calibratedAt, flagged)
                )
                .ToList();
        return ValueTask.FromResult(
            new CohortEvaluation(request.AsOf, engineName, threshold, metrics, leadTimes, subgroups, atPrevalence)
            {
                DeceasedLeftOut = deceased,
            }
        );
    }

    /// <summary>Sex and age as the record stood at the screening date, and the languages of the notes read.</summary>
    private static IReadOnlyList<Subgroup> Subgroups(ScoredCase scored) =>
        [
            Subgroup.OfSex(scored.Case.Input.Sex.ToString().ToLowerInvariant()),
            Subgroup.OfAge(scored.Case.Input.AgeYears),
            .. Subgroup.OfLanguages(scored.Case.Languages),
        ];

    /// <summary>A patient screened at the as-of date, or (diagnosed) at each lead-time cut.</summary>
    private sealed record Outcome(ScoredCase? Screened, List<(int Months, ScoredCase Scored)>? Lead);

    /// <summary>A diagnosed patient screened at each cut before the diagnosis (alive at the cut); else null.</summary>
    private List<(int Months, ScoredCase Scored)>? LeadCases(CohortPatient patient) =>
        patient.Truth is { Diagnosis: { } diagnosis } truth
            ? MonthsBefore
                .Select(m =>
                    (
                        Months: m,
                        Case: CohortCases.At(
                            patient,
                            extractor,
                            diagnosis.AddMonths(-m),
                            true,
                            "diagnosed",
                            truth.Phenotype
                        )
                    )
                )
                .Where(x => x.Case is { Death: null })
                .Select(x => (x.Months, Scored: CohortScoring.Score(x.Case!, engine)))
                .ToList()
            : null;

    /// <summary>" (read by roberta-ca-hf)" when notes in this language have their own classifier.</summary>
    private string NoteModelOf(string language) =>
        engine.Notes is { } notes && notes.Languages.Contains(language)
            ? $" (read by {notes.Names[notes.For(language)!]})"
            : "";

    private ScoredCase? Screen(CohortPatient patient, DateOnly asOf)
    {
        var truth = patient.Truth!;
        var @case = CohortCases.At(
            patient,
            extractor,
            asOf,
            truth.Status == "undiagnosed",
            truth.Status,
            truth.Phenotype
        );
        return @case is null ? null : CohortScoring.Score(@case, engine);
    }

    private void Measure(
        List<ComponentMetrics> metrics,
        string group,
        IReadOnlyList<ScoredCase> cases,
        double threshold
    )
    {
        var labels = CohortScoring.Labels(cases);
        var combined = cases.Select(c => CohortScoring.Decide(c, engine).Probability).ToList();
        metrics.Add(CohortEvaluation.Measure(group, "combined", labels, combined, threshold));
        metrics.Add(
            CohortEvaluation.Measure(
                group,
                "combined without the guideline floor",
                labels,
                cases.Select(c => engine.Combiner.Combine(c.Components)).ToList(),
                threshold,
                combined
            )
        );
        metrics.Add(
            CohortEvaluation.Measure(
                group,
                "rules only",
                labels,
                cases.Select(c => c.Components.Rules).ToList(),
                StackedCombiner.Default.Thresholds.Moderate,
                combined
            )
        );
        if (engine.Tabular is not null)
            metrics.Add(
                CohortEvaluation.Measure(
                    group,
                    "tabular only",
                    labels,
                    cases.Select(c => c.Components.Tabular ?? 0).ToList(),
                    0.5,
                    combined
                )
            );
        if (engine.Notes is not null)
            metrics.Add(
                CohortEvaluation.Measure(
                    group,
                    "notes only",
                    labels,
                    cases.Select(c => c.Components.Notes ?? 0).ToList(),
                    0.5,
                    combined
                )
            );
    }

    private static LeadTime Lead(
        string component,
        List<List<(int Months, ScoredCase Scored)>> patients,
        Func<ScoredCase, bool> flagged
    )
    {
        var shares = MonthsBefore.ToDictionary(
            m => m,
            m =>
            {
                var at = patients.SelectMany(p => p.Where(x => x.Months == m)).ToList();
                return at.Count == 0 ? double.NaN : Math.Round(at.Count(x => flagged(x.Scored)) / (double)at.Count, 3);
            }
        );
        var earliest = patients
            .Select(p => p.Where(x => flagged(x.Scored)).Select(x => x.Months).DefaultIfEmpty(0).Max())
            .ToList();
        var flaggedMonths = earliest.Where(m => m > 0).Order().ToList();
        var median = flaggedMonths.Count == 0 ? double.NaN : flaggedMonths[flaggedMonths.Count / 2];
        return new LeadTime(component, patients.Count, shares, median, flaggedMonths.Count);
    }
}
