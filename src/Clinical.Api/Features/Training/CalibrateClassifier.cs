using System.Text.Json.Nodes;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;
using Clinical.Models.Runtime;
using Clinical.Models.Training;
using FluentValidation;
using Mediator;
using TorchSharp;

namespace Clinical.Api.Features.Training;

/// <summary>
/// Refit a classifier folder's temperature and threshold on dev data (e.g. a site's own notes), optionally storing its
/// weights as bf16 first.
/// </summary>
public sealed record CalibrateClassifier(
    string Model,
    string Dev,
    string? WeightsDType,
    double TargetSensitivity = 0.90,
    string Device = "auto",
    int GapDays = WeakLabels.DefaultGapDays
) : IRequest<JsonObject>;

public sealed class CalibrateClassifierValidator : AbstractValidator<CalibrateClassifier>
{
    public CalibrateClassifierValidator()
    {
        RuleFor(r => r.Model).Must(Directory.Exists).WithMessage(r => $"--model {r.Model}: no such folder.");
        RuleFor(r => r.Dev)
            .Must(p => TrainingInputs.Sources(p).All(s => File.Exists(s) || Directory.Exists(s)))
            .WithMessage(r => $"--dev {r.Dev}: no such file or folder.");
        RuleFor(r => r.WeightsDType)
            .Must(d => d is null or "fp32" or "bf16")
            .WithMessage("--weights-dtype must be fp32 or bf16.");
        RuleFor(r => r.TargetSensitivity)
            .GreaterThan(0)
            .LessThanOrEqualTo(1)
            .WithMessage("--target-sensitivity must lie in (0, 1].");
    }
}

public sealed class CalibrateClassifierHandler(
    FhirInputReader reader,
    BulkExportReader bulkReader,
    PatientRecordExtractor extractor
) : IRequestHandler<CalibrateClassifier, JsonObject>
{
    private readonly TrainingInputs inputs = new(new WeakLabels(reader, bulkReader, extractor));

    public ValueTask<JsonObject> Handle(CalibrateClassifier request, CancellationToken cancellationToken)
    {
        var (notes, description, _) = inputs.LoadAll(request.Dev, request.GapDays, cancellationToken);
        if (!notes.Any(n => n.Label == 1) || notes.All(n => n.Label == 1))
            throw new ArgumentException($"--dev {request.Dev} needs both positive and negative notes to calibrate.");
        torch.ScalarType? dtype = request.WeightsDType switch
        {
            "bf16" => torch.ScalarType.BFloat16,
            "fp32" => torch.ScalarType.Float32,
            _ => null,
        };
        return ValueTask.FromResult(
            FineTuning.Recalibrate(
                request.Model,
                notes,
                description,
                request.TargetSensitivity,
                dtype,
                TrainingInputs.Device(request.Device)
            )
        );
    }
}
