using Clinical.Models.Training;
using FluentValidation;

namespace Clinical.Api.Features.Training;

/// <summary>What `finetune` and `pretrain` requests share: the output folder and where the model starts.</summary>
public interface ITrainingStart
{
    string Out { get; }

    string? Base { get; }

    string? FromScratch { get; }
}

/// <summary>The rules on <see cref="ITrainingStart"/>, included by each training request's validator.</summary>
public sealed class TrainingStartValidator : AbstractValidator<ITrainingStart>
{
    public TrainingStartValidator()
    {
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
    }

    /// <summary>The start a validated request names.</summary>
    public static ModelStart StartOf(ITrainingStart request) =>
        request.Base is { } baseDirectory
            ? ModelStart.Pretrained(baseDirectory)
            : ModelStart.Scratch(request.FromScratch!);
}
