using System.Text;
using System.Text.Json;
using Clinical.Models.Evaluation;
using Clinical.Models.Runtime;
using Clinical.Models.Training;
using FluentValidation;
using Mediator;

namespace Clinical.Api.Features.Training;

/// <summary>
/// Score every note of a JSON Lines file ({"id", "text"}, a label is not needed) into {"id", "probability"} lines,
/// calibrated, streaming.
/// </summary>
public sealed record ClassifyNotes(string Model, string Input, string Output, string Device = "auto") : IRequest<int>;

public sealed class ClassifyNotesValidator : AbstractValidator<ClassifyNotes>
{
    public ClassifyNotesValidator()
    {
        RuleFor(r => r.Model).Must(Directory.Exists).WithMessage(r => $"--model {r.Model}: no such folder.");
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

    /// <summary>Lines read lazily; the label is optional here, so a missing one is read as 0.</summary>
    private static IEnumerable<LabelledNote> Notes(string path)
    {
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            yield return LabelledNotes.Parse(line, path, number, labelRequired: false);
        }
    }
}
