using System.Text.Json;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;
using Clinical.Models.Training;
using FluentValidation;
using Mediator;

namespace Clinical.Api.Features.Training;

/// <summary>
/// Masked-language-model pretraining of a RoBERTa encoder on unlabelled text, from scratch or continuing a Hugging Face
/// folder; writes a folder that <c>finetune --base</c> accepts. Sources: JSON Lines with a "text" field, plain text
/// files (paragraphs separated by blank lines are documents), or FHIR folders (every readable note is a document).
/// </summary>
public sealed record PretrainEncoder(
    IReadOnlyList<string> Data,
    string Out,
    string? Base,
    string? FromScratch,
    PretrainOptions Options,
    string Device = "auto",
    bool Resume = false
) : IRequest<PretrainOutcome>;

public sealed class PretrainEncoderValidator : AbstractValidator<PretrainEncoder>
{
    public PretrainEncoderValidator()
    {
        RuleFor(r => r.Data).NotEmpty().WithMessage("Give at least one --data FILE_OR_FOLDER.");
        RuleForEach(r => r.Data)
            .Must(p => File.Exists(p) || Directory.Exists(p))
            .WithMessage((_, p) => $"--data {p}: no such file or folder.");
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
}

public sealed class PretrainEncoderHandler(
    FhirInputReader reader,
    BulkExportReader bulkReader,
    PatientRecordExtractor extractor
) : IRequestHandler<PretrainEncoder, PretrainOutcome>
{
    private readonly WeakLabels fhir = new(reader, bulkReader, extractor);

    public ValueTask<PretrainOutcome> Handle(PretrainEncoder request, CancellationToken cancellationToken)
    {
        request.Options.Validate();
        var target = TrainingInputs.Device(request.Device);
        var log = TrainingLog.ForStandardError(request.Options.LogEverySteps);
        var texts = new List<string>();
        var described = new List<string>();
        foreach (var source in request.Data)
        {
            var before = texts.Count;
            texts.AddRange(Read(source, cancellationToken).Where(t => !string.IsNullOrWhiteSpace(t)));
            described.Add(
                $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(source))}: {texts.Count - before} texts"
            );
            log.Line($"read {texts.Count - before} texts from {source}");
        }
        var start = request.Base is { } baseDirectory
            ? ModelStart.Pretrained(baseDirectory)
            : ModelStart.Scratch(request.FromScratch!);
        var outcome = new MaskedLmTrainer(target, log).Train(
            texts,
            string.Join("; ", described),
            start,
            request.Options,
            request.Out,
            request.Resume,
            cancellationToken: cancellationToken
        );
        return ValueTask.FromResult(outcome);
    }

    private IEnumerable<string> Read(string source, CancellationToken cancellationToken)
    {
        if (Directory.Exists(source))
        {
            var issues = new List<InputIssue>();
            return fhir.Records(source, issues, cancellationToken).SelectMany(r => r.Notes).Select(n => n.Text);
        }
        var extension = Path.GetExtension(source).ToLowerInvariant();
        return extension is ".jsonl" or ".ndjson" ? JsonLinesTexts(source) : Paragraphs(source);
    }

    /// <summary>The "text" of every JSON Lines object (any other field, a label included, is ignored).</summary>
    private static IEnumerable<string> JsonLinesTexts(string path)
    {
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            string? text;
            try
            {
                using var json = JsonDocument.Parse(line);
                text =
                    json.RootElement.ValueKind == JsonValueKind.Object
                    && json.RootElement.TryGetProperty("text", out var t)
                    && t.ValueKind == JsonValueKind.String
                        ? t.GetString()
                        : null;
            }
            catch (JsonException ex)
            {
                throw new LabelledNotesException($"{path}:{number}: not JSON ({ex.Message.Split(" Path:", 2)[0]})");
            }
            yield return text
                ?? throw new LabelledNotesException($"{path}:{number}: \"text\" is missing or not a string.");
        }
    }

    /// <summary>A plain text file's paragraphs (separated by blank lines), each a document.</summary>
    private static string[] Paragraphs(string path) =>
        File.ReadAllText(path)
            .ReplaceLineEndings("\n")
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
