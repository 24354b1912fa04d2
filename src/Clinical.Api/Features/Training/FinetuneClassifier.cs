using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;
using Clinical.Models.Runtime;
using Clinical.Models.Training;
using FluentValidation;
using Mediator;

namespace Clinical.Api.Features.Training;

/// <summary>
/// Fine-tune (or train from scratch) the HF note classifier and write a calibrated Hugging Face folder with its model
/// card.
/// </summary>
public sealed record FinetuneClassifier(
    string Train,
    string Dev,
    string Out,
    string? Base,
    string? FromScratch,
    FineTuneOptions Options,
    string Device = "auto",
    bool Resume = false,
    bool Synthetic = false,
    int GapDays = WeakLabels.DefaultGapDays
) : IRequest<ModelCard>;

public sealed class FinetuneClassifierValidator : AbstractValidator<FinetuneClassifier>
{
    public FinetuneClassifierValidator()
    {
        RuleFor(r => r.Train).Must(Exist).WithMessage(r => $"--train {r.Train}: no such file or folder.");
        RuleFor(r => r.Dev).Must(Exist).WithMessage(r => $"--dev {r.Dev}: no such file or folder.");
        RuleFor(r => r.Out)
            .NotEmpty()
            .Must(p => !File.Exists(p))
            .WithMessage(r => $"--out {r.Out} is a file; give a folder.");
        RuleFor(r => r)
            .Must(r => (r.Base is null) != (r.FromScratch is null))
            .WithMessage("Give exactly one of --base HF_DIR or --from-scratch mini|small|base|CONFIG_JSON.");
        RuleFor(r => r.Base)
            .Must(Directory.Exists!)
            .When(r => r.Base is not null)
            .WithMessage(r => $"--base {r.Base}: no such folder.");
        RuleFor(r => r.FromScratch)
            .Must(ModelSizes.IsKnown)
            .When(r => r.FromScratch is not null)
            .WithMessage(r => $"--from-scratch '{r.FromScratch}' is neither mini, small, base nor a JSON config file.");
        RuleFor(r => r.GapDays).InclusiveBetween(0, 3650).WithMessage("--gap-days must lie in [0, 3650].");
    }

    private static bool Exist(string paths) =>
        TrainingInputs.Sources(paths) is { Count: > 0 } sources
        && sources.All(p => File.Exists(p) || Directory.Exists(p));
}

public sealed class FinetuneClassifierHandler(
    FhirInputReader reader,
    BulkExportReader bulkReader,
    PatientRecordExtractor extractor
) : IRequestHandler<FinetuneClassifier, ModelCard>
{
    private readonly TrainingInputs inputs = new(new WeakLabels(reader, bulkReader, extractor));

    public ValueTask<ModelCard> Handle(FinetuneClassifier request, CancellationToken cancellationToken)
    {
        request.Options.Validate();
        var target = TrainingInputs.Device(request.Device);
        var train = inputs.LoadAll(request.Train, request.GapDays, cancellationToken);
        var dev = inputs.LoadAll(request.Dev, request.GapDays, cancellationToken);
        var data = new TrainingData(
            train.Notes,
            dev.Notes,
            $"train {train.Description}; dev {dev.Description}",
            request.Synthetic || train.Synthetic || dev.Synthetic
        );
        var start = request.Base is { } baseDirectory
            ? ModelStart.Pretrained(baseDirectory)
            : ModelStart.Scratch(request.FromScratch!);
        var card = FineTuning.Run(
            data,
            start,
            request.Options,
            request.Out,
            target,
            request.Resume,
            TrainingLog.ForStandardError(request.Options.LogEverySteps),
            cancellationToken: cancellationToken
        );
        return ValueTask.FromResult(card);
    }
}
