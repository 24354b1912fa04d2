using System.Globalization;
using System.Text;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;
using Clinical.Models.Scoring;
using Clinical.Models.Tabular;
using Clinical.Synthetic;
using FluentValidation;
using Mediator;

namespace Clinical.Api.Features.Cohorts;

/// <summary>
/// Train the tabular model (FastTree on <see cref="TabularFeatures"/>) on a cohort split by patient
/// (60/20/20), fit the stacked combiner and its thresholds on dev, and write model.zip, card.json and
/// stacking.json to OutputFolder. The cohort is a Bulk Data folder (truth.ndjson optional: without it,
/// weak labels from coded HF diagnoses) or a cohort generated in memory.
/// </summary>
public sealed record TrainTabular(
    string? DataFolder,
    string? TruthPath,
    CohortOptions? Generate,
    DateOnly AsOf,
    string OutputFolder,
    string? NoteModel,
    string Command
) : IRequest<TabularTrainingSummary>;

public sealed record TabularTrainingSummary(
    string Folder,
    IReadOnlyDictionary<string, SplitMetrics> Metrics,
    RiskThresholds Thresholds,
    long ModelBytes
)
{
    /// <summary>Patients deceased by their cut date: never screened, so left out of training and counted.</summary>
    public int DeceasedLeftOut { get; init; }

    public string ToText()
    {
        var text = new StringBuilder($"Tabular model written to {Folder} ({ModelBytes / 1024} KiB)\n");
        var invariant = CultureInfo.InvariantCulture;
        foreach (var (name, m) in Metrics)
            text.Append(invariant, $"  {name, -16} patients {m.Patients, 6}  positives {m.Positives, 5}  ")
                .AppendLine(invariant, $"AUROC {m.Auroc:0.000}  AUPRC {m.Auprc:0.000}  Brier {m.Brier:0.000}");
        text.Append(invariant, $"  thresholds: negligible < {Thresholds.Negligible:0.000}, ")
            .Append(invariant, $"moderate >= {Thresholds.Moderate:0.000}, high >= {Thresholds.High:0.000} ")
            .AppendLine(invariant, $"({Thresholds.ChosenBy})");
        text.AppendLine(invariant, $"  deceased by their cut date (not screened), left out: {DeceasedLeftOut}");
        return text.ToString();
    }
}

public sealed class TrainTabularValidator : AbstractValidator<TrainTabular>
{
    public TrainTabularValidator()
    {
        RuleFor(r => r)
            .Must(r => (r.DataFolder is null) != (r.Generate is null))
            .WithMessage("Give either --data DIR or --generate N.");
        RuleFor(r => r.DataFolder)
            .Must(Directory.Exists!)
            .When(r => r.DataFolder is not null)
            .WithMessage(r => $"No such folder: {r.DataFolder}");
        RuleFor(r => r.TruthPath)
            .Must(File.Exists!)
            .When(r => r.TruthPath is not null)
            .WithMessage(r => $"No such file: {r.TruthPath}");
        RuleFor(r => r.OutputFolder).NotEmpty().WithMessage("--out is required.");
    }
}

public sealed class TrainTabularHandler(PatientRecordExtractor extractor, BulkExportReader reader)
    : IRequestHandler<TrainTabular, TabularTrainingSummary>
{
    private const int Parallelism = 2;

    public ValueTask<TabularTrainingSummary> Handle(TrainTabular request, CancellationToken cancellationToken)
    {
        var patients = request.Generate is { } options
            ? CohortPatients.Generated(options, Parallelism)
            : CohortPatients
                .FromFolder(reader, request.DataFolder!, request.TruthPath, [], cancellationToken)
                .AsParallel()
                .AsOrdered()
                .WithDegreeOfParallelism(Parallelism);
        var rulesOnly = RiskEngine.RulesOnly();
        var cases = patients
            .WithCancellation(cancellationToken)
            .Select(p => CohortCases.Training(p, extractor, request.AsOf))
            .Where(c => c is not null)
            .ToList();
        var deceased = cases.Count(c => c!.Death is not null);
        var scored = cases
            .Where(c => c!.Death is null)
            .AsParallel()
            .AsOrdered()
            .WithDegreeOfParallelism(Parallelism)
            .Select(c => CohortScoring.Score(c!, rulesOnly))
            .ToList();
        var bySplit = scored.ToLookup(s => CohortPatients.Split(s.Case.PatientReference));

        var data = request.Generate is { } g
            ? "Synthetic Spanish primary-care cohort generated in memory: "
                + $"{g.Patients} patients, seed {g.Seed}, HF share {g.HfShare}, as of {request.AsOf:yyyy-MM-dd}; "
                + "split by patient 60/20/20 (train/dev/test)."
            : $"Bulk Data folder {request.DataFolder}"
                + (request.TruthPath is null ? " (weak labels)" : $" with truth {request.TruthPath}")
                + $", as of {request.AsOf:yyyy-MM-dd}; split by patient 60/20/20; "
                + $"{deceased} patients deceased by their cut date left out.";
        var card = new TabularModelCard(
            "hf-tabular",
            "1.0.0",
            TabularModel.TrainerDescription,
            TabularFeatures.Names,
            data,
            CohortCases.Describe(weakLabels: request.TruthPath is null && request.Generate is null),
            request.Command,
            new Dictionary<string, SplitMetrics>(),
            [
                "Trained on synthetic patients only: not validated on real records.",
                "HF is enriched in the training cohort; calibrated probabilities overstate risk at the natural "
                    + "prevalence (about 2 % of adults).",
                "Decision support, not a diagnosis or a certified medical device.",
            ]
        );
        var train = bySplit["train"].ToList();
        var model = TabularModel.Train(
            train.Select(s => new TabularRow { Features = s.Features, Label = s.Case.Positive }).ToList(),
            card
        );

        var notes = request.NoteModel is null
            ? null
            : Models.Encoders.Roberta.NoteClassifier.Load(request.NoteModel, Models.Runtime.ComputeTarget.Resolve());
        var withModel = new RiskEngine(model, notes, StackedCombiner.Default);
        var dev = bySplit["dev"].Select(s => CohortScoring.Score(s.Case, withModel)).ToList();
        var test = bySplit["test"].Select(s => CohortScoring.Score(s.Case, withModel)).ToList();
        var combiner = StackedCombiner.Fit(
            dev.Select(d => d.Components).ToList(),
            dev.Select(d => d.Case.Positive).ToList()
        );

        var metrics = new Dictionary<string, SplitMetrics>
        {
            ["train tabular"] = CohortScoring.Metrics(train, s => model.Predict(s.Features)),
            ["dev tabular"] = CohortScoring.Metrics(dev, s => s.Components.Tabular!.Value),
            ["test tabular"] = CohortScoring.Metrics(test, s => s.Components.Tabular!.Value),
            ["test rules"] = CohortScoring.Metrics(test, s => s.Components.Rules),
            ["test combined"] = CohortScoring.Metrics(test, s => combiner.Decide(s.Components, s.Floor).Probability),
        };
        var trained = model.WithCard(card with { Metrics = metrics });
        trained.Save(request.OutputFolder);
        combiner.Save(request.OutputFolder);
        notes?.Dispose();
        var bytes = new FileInfo(Path.Combine(request.OutputFolder, TabularModel.ModelFile)).Length;
        return ValueTask.FromResult(
            new TabularTrainingSummary(request.OutputFolder, metrics, combiner.Thresholds, bytes)
            {
                DeceasedLeftOut = deceased,
            }
        );
    }
}
