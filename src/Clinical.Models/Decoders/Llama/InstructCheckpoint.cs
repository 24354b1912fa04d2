using System.Text.Json;
using System.Text.RegularExpressions;

namespace Clinical.Models.Decoders.Llama;

/// <summary>
/// Whether a Llama folder holds an instruction-tuned (chat) model or a base (pre-trained only) one, decided from its
/// files before any weight is read. The rule, first match wins:
/// 1. the model's name (config.json's _name_or_path, else the folder's name) says instruct: it contains "instruct",
///    "-it" or "chat" as a word → instruct;
/// 2. the name is a published base release (salamandra-2b, salamandra-7b, ALIA-40b, optionally "-base"): base, even
///    when tokenizer_config.json carries a chat template (the family shares one tokenizer, template included);
/// 3. tokenizer_config.json has a chat_template → instruct (a fine-tune saved with transformers keeps its template);
/// 4. otherwise base. BSC's cards call ALIA-40B's base model neither instructed nor aligned.
/// </summary>
public static partial class InstructCheckpoint
{
    public sealed record Verdict(bool IsInstruct, string Name, string Reason);

    public static Verdict Inspect(string directory)
    {
        var name = NameOf(directory);
        if (InstructName().IsMatch(name))
            return new Verdict(true, name, $"its name '{name}' says instruct");
        if (BaseReleaseName().IsMatch(name))
            return new Verdict(false, name, $"'{name}' is the name of a base (pre-trained only) release");
        if (ChatTemplate.ReadTemplate(directory) is not null)
            return new Verdict(true, name, "tokenizer_config.json carries a chat template");
        return new Verdict(
            false,
            name,
            $"neither its name '{name}' nor tokenizer_config.json (no chat_template) shows instruction tuning"
        );
    }

    private static string NameOf(string directory)
    {
        var config = Path.Combine(directory, "config.json");
        if (File.Exists(config))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(config));
            if (
                json.RootElement.TryGetProperty("_name_or_path", out var named)
                && named.ValueKind == JsonValueKind.String
                && !string.IsNullOrWhiteSpace(named.GetString())
            )
                return Path.GetFileName(Path.TrimEndingDirectorySeparator(named.GetString()!));
        }
        return Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
    }

    [GeneratedRegex(@"(^|[-_.\s])(instruct|it|chat)([-_.\s]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex InstructName();

    [GeneratedRegex(@"^(salamandra-(2|7)b|alia-40b)(-base)?$", RegexOptions.IgnoreCase)]
    private static partial Regex BaseReleaseName();
}

/// <summary>A model folder that is refused for the task asked of it; the message says why and what to use.</summary>
public sealed class UnsuitableModelException(string message) : Exception(message);
