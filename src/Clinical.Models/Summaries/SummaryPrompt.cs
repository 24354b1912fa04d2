using System.Reflection;

namespace Clinical.Models.Summaries;

/// <summary>
/// One versioned prompt file (Summaries/Prompts/hf-summary.v1.{language}.md, embedded in the assembly): the system
/// message, the user message and the extractive template, with the labels they use. Sections start with "## name";
/// {{name}} marks a slot. Languages: es (default), ca, gl, eu; any other falls back to es.
/// </summary>
public sealed class SummaryPrompt
{
    public const string Family = "hf-summary";
    public const string Revision = "v1";
    public const string DefaultLanguage = "es";

    public static readonly IReadOnlyList<string> Languages = ["es", "ca", "gl", "eu"];

    private readonly IReadOnlyDictionary<string, string> _sections;

    private SummaryPrompt(string language, IReadOnlyDictionary<string, string> sections)
    {
        Language = language;
        _sections = sections;
    }

    public string Language { get; }

    /// <summary>e.g. hf-summary.v1.es: what a Provenance names.</summary>
    public string Version => $"{Family}.{Revision}.{Language}";

    public static SummaryPrompt For(string? language)
    {
        var chosen = language is not null && Languages.Contains(language) ? language : DefaultLanguage;
        var name = $"Clinical.Models.Summaries.Prompts.{Family}.{Revision}.{chosen}.md";
        using var stream =
            Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The prompt resource '{name}' is not embedded.");
        using var reader = new StreamReader(stream);
        return new SummaryPrompt(chosen, Parse(reader.ReadToEnd()));
    }

    public string Section(string name) =>
        _sections.TryGetValue(name, out var text)
            ? text
            : throw new InvalidOperationException($"Prompt {Version} has no section '{name}'.");

    public string Fill(string section, IReadOnlyDictionary<string, string> slots)
    {
        var text = Section(section);
        foreach (var (name, value) in slots)
            text = text.Replace("{{" + name + "}}", value, StringComparison.Ordinal);
        return text;
    }

    private static Dictionary<string, string> Parse(string text)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        var lines = new List<string>();
        foreach (var line in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                if (current is not null)
                    sections[current] = string.Join('\n', lines).Trim();
                current = line[3..].Trim();
                lines.Clear();
            }
            else if (current is not null)
            {
                lines.Add(line);
            }
        }
        if (current is not null)
            sections[current] = string.Join('\n', lines).Trim();
        return sections;
    }
}
