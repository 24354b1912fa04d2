using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;
using Clinical.Models.Scoring;
using FluentValidation;
using Mediator;

namespace Clinical.Api.Features.Cohorts;

/// <summary>
/// Evaluate the risk engine on a labelled cohort (Bulk Data folder + truth.ndjson): the combined engine (with its
/// guideline floor), the combination without the floor, and each component alone (rules, tabular, notes), overall,
/// per phenotype and per note language, with bootstrap CIs; and the lead time, screening each diagnosed patient at
/// cut dates before the recorded diagnosis. Patients deceased by the date are left out and counted.
/// </summary>
public sealed record EvaluateCohort(string DataFolder, string TruthPath, DateOnly AsOf) : IRequest<CohortEvaluation>;

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
        var patients = CohortPatients
            .FromFolder(reader, request.DataFolder, request.TruthPath, [], cancellationToken)
            .Where(p => p.Truth is not null)
            .AsParallel()
            .AsOrdered()
            .WithDegreeOfParallelism(Parallelism)
            .WithCancellation(cancellationToken)
            .Select(p => (Patient: p, Screened: p.Truth!.Status == "diagnosed" ? null : Screen(p, request.AsOf)))
            .ToList();
        // Screening does not screen the dead, so neither does its evaluation: they are left out and counted.
        var deceased = patients.Count(p => p.Screened is { Case.Death: not null });
        var screened = patients.Where(p => p.Screened is { Case.Death: null }).Select(p => p.Screened!).ToList();
        var leadCases = patients
            .Where(p => p.Patient.Truth is { Status: "diagnosed", Diagnosis: not null })
            .AsParallel()
            .AsOrdered()
            .WithDegreeOfParallelism(Parallelism)
            .Select(p =>
                MonthsBefore
                    .Select(m =>
                        (
                            Months: m,
                            Case: CohortCases.At(
                                p.Patient,
                                extractor,
                                p.Patient.Truth!.Diagnosis!.Value.AddMonths(-m),
                                true,
                                "diagnosed",
                                p.Patient.Truth.Phenotype
                            )
                        )
                    )
                    .Where(x => x.Case is { Death: null })
                    .Select(x => (x.Months, Scored: CohortScoring.Score(x.Case!, engine)))
                    .ToList()
            )
            .ToList();

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
                Measure(metrics, $"notes in {language}", group, threshold);
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
        var notes = engine.Notes is null ? "no note classifier" : "note classifier";
        var engineName = $"{RiskEngine.Name} {RiskEngine.Version} ({tabular}, {notes})";
        return ValueTask.FromResult(
            new CohortEvaluation(request.AsOf, engineName, threshold, metrics, leadTimes) { DeceasedLeftOut = deceased }
        );
    }

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
