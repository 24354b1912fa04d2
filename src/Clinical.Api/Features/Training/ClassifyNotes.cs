using System.Text;
using System.Text.Json;
using Clinical.Fhir.Notes;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Evaluation;
using Clinical.Models.Runtime;
using Clinical.Models.Training;
using FluentValidation;
using Mediator;

namespace Clinical.Api.Features.Training;

/// <summary>
/// Score every note of a JSON Lines file ({"id", "text"}, a label is not needed) into {"id", "probability"} lines,
/// calibrated, streaming. With models by language (LANG → folder), each note goes to its language's model (the
/// line's "language", else the detected one), Model reads the rest, and lines also carry "language" and "model".
/// </summary>
public sealed record ClassifyNotes(
    string Model,
    string Input,
    string Output,
    string Device = "auto",
    IReadOnlyDictionary<string, string>? ModelsByLanguage = null
) : IRequest<int>;

public sealed class ClassifyNotesValidator : AbstractValidator<ClassifyNotes>
{
    public ClassifyNotesValidator()
    {
        RuleFor(r => r.Model).Must(Directory.Exists).WithMessage(r => $"--model {r.Model}: no such folder.");
        RuleForEach(r => r.ModelsByLanguage)
            .Must(kv => Directory.Exists(kv.Value))
            .WithMessage((_, kv) => $"--note-model-for {kv.Key}={kv.Value}: no such folder.");
        RuleFor(r => r.Input).Must(File.Exists).WithMessage(r => $"--input {r.Input}: no such file.");
        RuleFor(r => r.Output)
            .NotEmpty()
            .Must((r, o) => Path.GetFullPath(o) != Path.GetFullPath(r.Input))
            .WithMessage("--output must differ from --input.");
    }
}

public sealed class ClassifyNotesHandler : IRequestHandler<ClassifyNotes, int>
{
    public async ValueTask<int> Handle(ClassifyNotes request, CancellationToken cancellationToken)
    {
        if (request.ModelsByLanguage is { Count: > 0 } byLanguage)
            return await ByLanguage(request, byLanguage, cancellationToken);
        using var classifier = NoteScoring.Load(request.Model, TrainingInputs.Device(request.Device));
        await using var writer = new StreamWriter(request.Output, append: false, new UTF8Encoding(false));
        var count = 0;
        foreach (var chunk in Notes(request.Input).Chunk(NoteScoring.ChunkNotes))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var scores = classifier.Classify(chunk.Select(n => n.Text).ToList(), cancellationToken);
            for (var i = 0; i < chunk.Length; i++)
                await writer.WriteLineAsync(
                    JsonSerializer.Serialize(new { id = chunk[i].Id, probability = scores[i].Probability })
                );
            count += chunk.Length;
        }
        return count;
    }

    private static async ValueTask<int> ByLanguage(
        ClassifyNotes request,
        IReadOnlyDictionary<string, string> byLanguage,
        CancellationToken cancellationToken
    )
    {
        using var models = NoteModels.Load(request.Model, byLanguage, TrainingInputs.Device(request.Device));
        await using var writer = new StreamWriter(request.Output, append: false, new UTF8Encoding(false));
        var count = 0;
        foreach (var chunk in Notes(request.Input).Chunk(NoteScoring.ChunkNotes))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var notes = chunk.Select(n => (n.Text, (string?)(n.Language ?? LanguageDetector.Detect(n.Text).Language)));
            var routed = notes.ToList();
            var scores = models.Classify(routed);
            for (var i = 0; i < chunk.Length; i++)
            {
                var classifier = models.For(routed[i].Item2)!;
                await writer.WriteLineAsync(
                    JsonSerializer.Serialize(
                        new
                        {
                            id = chunk[i].Id,
                            probability = scores[i]!.Probability,
                            language = routed[i].Item2,
                            model = models.Names[classifier],
                        }
                    )
                );
            }
            count += chunk.Length;
        }
        return count;
    }

    /// <summary>
    /// Lines read lazily; the label is optional here, so a missing one is read as 0; "language", when a line has one,
    /// names the language the note is written in.
    /// </summary>
    private static IEnumerable<InputNote> Notes(string path)
    {
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var note = LabelledNotes.Parse(line, path, number, labelRequired: false);
            yield return new InputNote(note.Id, note.Text, Language(line));
        }
    }

    private static string? Language(string line)
    {
        using var json = JsonDocument.Parse(line);
        return
            json.RootElement.TryGetProperty("language", out var language) && language.ValueKind == JsonValueKind.String
            ? language.GetString()
            : null;
    }

    private sealed record InputNote(string Id, string Text, string? Language);
}
