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
) : IRequest<ModelCard>, ITrainingStart;

public sealed class FinetuneClassifierValidator : AbstractValidator<FinetuneClassifier>
{
    public FinetuneClassifierValidator()
    {
        RuleFor(r => r.Train).Must(Exist).WithMessage(r => $"--train {r.Train}: no such file or folder.");
        RuleFor(r => r.Dev).Must(Exist).WithMessage(r => $"--dev {r.Dev}: no such file or folder.");
        Include(new TrainingStartValidator());
        RuleFor(r => r.GapDays).InclusiveBetween(0, 3650).WithMessage("--gap-days must lie in [0, 3650].");
    }

    private static bool Exist(string paths) =>
        TrainingInputs.Sources(paths) is { Count: > 0 } sources
        && sources.All(p => File.Exists(p) || Directory.Exists(p));
}

public sealed class FinetuneClassifierHandler(TrainingInputs inputs) : IRequestHandler<FinetuneClassifier, ModelCard>
{
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
        var start = TrainingStartValidator.StartOf(request);
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
