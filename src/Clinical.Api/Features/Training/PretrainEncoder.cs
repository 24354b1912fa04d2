using System.Text.Json;
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
) : IRequest<PretrainOutcome>, ITrainingStart;

public sealed class PretrainEncoderValidator : AbstractValidator<PretrainEncoder>
{
    public PretrainEncoderValidator()
    {
        RuleFor(r => r.Data).NotEmpty().WithMessage("Give at least one --data FILE_OR_FOLDER.");
        RuleForEach(r => r.Data)
            .Must(p => File.Exists(p) || Directory.Exists(p))
            .WithMessage((_, p) => $"--data {p}: no such file or folder.");
        Include(new TrainingStartValidator());
    }
}

public sealed class PretrainEncoderHandler(WeakLabels fhir) : IRequestHandler<PretrainEncoder, PretrainOutcome>
{
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
        var start = TrainingStartValidator.StartOf(request);
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
