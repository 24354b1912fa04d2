using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Clinical.Models.Training;

/// <summary>One training or evaluation example: a text and whether it documents heart failure (1) or not (0).</summary>
public sealed record LabelledNote(string Id, string Text, int Label)
{
    /// <summary>The note's language when the line gives one ("language", or "lang" as in the shared corpus).</summary>
    public string? Language { get; init; }
}

/// <summary>A line of a labelled-notes file that cannot be used; the message names the file and line.</summary>
public sealed class LabelledNotesException(string message) : Exception(message);

/// <summary>
/// Note-level JSON Lines: one {"id", "text", "label"} object per line, with an optional "language" (or "lang");
/// other fields are ignored.
/// </summary>
public static class LabelledNotes
{
    public static IEnumerable<LabelledNote> Read(string path)
    {
        if (!File.Exists(path))
            throw new LabelledNotesException($"No such file: {path}");
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            yield return Parse(line, path, number);
        }
    }

    public static LabelledNote Parse(string line, string path, int number, bool labelRequired = true)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new LabelledNotesException($"{path}:{number}: expected a JSON object.");
            var id = root.TryGetProperty("id", out var i)
                ? i.ValueKind == JsonValueKind.Number
                    ? i.GetRawText()
                    : i.GetString()
                : null;
            if (string.IsNullOrEmpty(id))
                throw new LabelledNotesException($"{path}:{number}: \"id\" is missing.");
            if (!root.TryGetProperty("text", out var t) || t.ValueKind != JsonValueKind.String)
                throw new LabelledNotesException($"{path}:{number}: \"text\" is missing or not a string.");
            var hasLabel = root.TryGetProperty("label", out var l) && l.ValueKind != JsonValueKind.Null;
            var label =
                !hasLabel && !labelRequired ? 0
                : hasLabel
                    ? l.ValueKind switch
                    {
                        JsonValueKind.Number when l.TryGetInt32(out var n) && n is 0 or 1 => n,
                        JsonValueKind.True => 1,
                        JsonValueKind.False => 0,
                        _ => -1,
                    }
                : -1;
            if (label < 0)
                throw new LabelledNotesException($"{path}:{number}: \"label\" must be 0 or 1.");
            return new LabelledNote(id, t.GetString()!, label) { Language = Language(root) };
        }
        catch (JsonException ex)
        {
            throw new LabelledNotesException($"{path}:{number}: not JSON ({ex.Message.Split(" Path:", 2)[0]})");
        }
    }

    private static readonly string[] LanguageFields = ["language", "lang"];

    private static string? Language(JsonElement root) =>
        LanguageFields
            .Select(name => root.TryGetProperty(name, out var value) ? value : default)
            .Where(value => value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()))
            .Select(value => value.GetString())
            .FirstOrDefault();

    public static void Write(string path, IEnumerable<LabelledNote> notes)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        foreach (var note in notes)
            writer.WriteLine(
                JsonSerializer.Serialize(
                    new
                    {
                        id = note.Id,
                        text = note.Text,
                        label = note.Label,
                    }
                )
            );
    }

    /// <summary>SHA-256 over every id, text and label in order: two runs trained on the same data share it.</summary>
    public static string Fingerprint(IEnumerable<LabelledNote> notes)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var note in notes)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(note.Id));
            hash.AppendData([0]);
            hash.AppendData(Encoding.UTF8.GetBytes(note.Text));
            hash.AppendData([0, (byte)note.Label, 0]);
        }
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
