using System.Text.Json;
using System.Text.RegularExpressions;
using Clinical.Models.Text;

namespace Clinical.Models.Decoders.Llama;

/// <summary>One turn of a chat: role is system, user or assistant.</summary>
public sealed record ChatMessage(string Role, string Content)
{
    public static ChatMessage System(string content) => new("system", content);

    public static ChatMessage User(string content) => new("user", content);
}

/// <summary>
/// Salamandra/ALIA instruct's ChatML template: every message renders as
/// <c>&lt;|im_start|&gt;{role}\n{content}&lt;|im_end|&gt;\n</c>,
/// a system message comes first (a default one when none is given), and the generation prompt is
/// <c>&lt;|im_start|&gt;assistant\n</c>. Generation stops on &lt;/s&gt; (2) or &lt;|im_end|&gt; (5).
/// </summary>
public static partial class ChatTemplate
{
    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";
    public const string EndOfSequence = "</s>";

    /// <summary>
    /// Salamandra's built-in system message when the chat has none. Published revisions of the instruct
    /// tokenizer_config.json differ here (some append "Today Date: …" and a Spanish version); the summarizer always
    /// sends its own system message, so this default is only used by callers that give none.
    /// </summary>
    public const string DefaultSystemPrompt =
        "I am Salamandra, an AI language model developed at the Barcelona Supercomputing Centre (BSC) "
        + "by the Language Technologies Unit.";

    public static IReadOnlyList<ChatMessage> WithSystem(
        IReadOnlyList<ChatMessage> messages,
        string defaultSystem = DefaultSystemPrompt
    ) =>
        messages.Count > 0 && messages[0].Role == "system"
            ? messages
            : [ChatMessage.System(defaultSystem), .. messages];

    /// <summary>
    /// The prompt as text, as transformers' apply_chat_template(tokenize=False, add_generation_prompt=True) renders it
    /// (without bos).
    /// </summary>
    public static string Render(
        IReadOnlyList<ChatMessage> messages,
        bool addGenerationPrompt = true,
        string defaultSystem = DefaultSystemPrompt
    )
    {
        var text = string.Concat(
            WithSystem(messages, defaultSystem).Select(m => $"{ImStart}{m.Role}\n{m.Content}{ImEnd}\n")
        );
        return addGenerationPrompt ? text + $"{ImStart}assistant\n" : text;
    }

    /// <summary>
    /// Token ids of the prompt: bos when the tokenizer adds one, then each message as im_start, the ids of
    /// "{role}\n{content}", im_end and the ids of "\n"; then im_start and the ids of "assistant\n".
    /// </summary>
    public static long[] Encode(
        NoteTokenizer tokenizer,
        IReadOnlyList<ChatMessage> messages,
        bool addGenerationPrompt = true,
        string defaultSystem = DefaultSystemPrompt
    )
    {
        var start = ControlId(tokenizer, ImStart);
        var end = ControlId(tokenizer, ImEnd);
        var newline = tokenizer.Encode("\n").Ids;
        var ids = new List<long>();
        if (tokenizer.AddsBos)
            ids.Add(SpecialTokens.Require(tokenizer.Special.Bos, "beginning-of-sequence"));
        foreach (var message in WithSystem(messages, defaultSystem))
        {
            ids.Add(start);
            ids.AddRange(tokenizer.Encode($"{message.Role}\n{message.Content}").Ids.Select(i => (long)i));
            ids.Add(end);
            ids.AddRange(newline.Select(i => (long)i));
        }
        if (addGenerationPrompt)
        {
            ids.Add(start);
            ids.AddRange(tokenizer.Encode("assistant\n").Ids.Select(i => (long)i));
        }
        return ids.ToArray();
    }

    /// <summary>&lt;/s&gt; and &lt;|im_end|&gt; as this tokenizer numbers them (2 and 5 for Salamandra).</summary>
    public static IReadOnlyList<long> StopTokenIds(NoteTokenizer tokenizer) =>
        [SpecialTokens.Require(tokenizer.Special.Eos, "end-of-sequence"), ControlId(tokenizer, ImEnd)];

    /// <summary>
    /// tokenizer_config.json's chat_template (a string, or the "default" of a list of named templates); null when the
    /// folder has none.
    /// </summary>
    public static string? ReadTemplate(string directory)
    {
        var path = Path.Combine(directory, "tokenizer_config.json");
        if (!File.Exists(path))
            return null;
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        if (!json.RootElement.TryGetProperty("chat_template", out var template))
            return null;
        return template.ValueKind switch
        {
            JsonValueKind.String => template.GetString(),
            JsonValueKind.Array => template
                .EnumerateArray()
                .Where(t => t.TryGetProperty("name", out var n) && n.GetString() == "default")
                .Select(t => t.GetProperty("template").GetString())
                .FirstOrDefault(),
            _ => null,
        };
    }

    /// <summary>
    /// Checks that a folder's chat template (when it has one) is the ChatML this class renders, and returns the
    /// template's own default system message (the one it inserts when a chat has none), or
    /// <see cref="DefaultSystemPrompt"/>. A Jinja template is recognised, not executed: it must write every message as
    /// '&lt;|im_start|&gt;' + role + '\n' + content + '&lt;|im_end|&gt;' + '\n' and end with the generation prompt
    /// '&lt;|im_start|&gt;assistant\n' (Salamandra's and ALIA's instruct templates do, as do Qwen's and other ChatML
    /// templates); any other template (Llama 3 headers, Mistral [INST], Gemma turns) is refused, naming what is
    /// missing.
    /// A default system message built from expressions (e.g. with today's date) is refused too unless the chat has its
    /// own system message, which the summarizer always sends.
    /// </summary>
    public static string CheckTemplate(string directory)
    {
        var template = ReadTemplate(directory);
        if (template is null)
            return DefaultSystemPrompt;
        var compact = Whitespace().Replace(template.Replace('"', '\''), "");
        string[] required =
        [
            "'<|im_start|>'+message['role']+'\\n'+message['content']+'<|im_end|>'+'\\n'",
            "'<|im_start|>assistant\\n'",
        ];
        var alternatives = new[] { ("message['role']", "message.role"), ("message['content']", "message.content") };
        bool Has(string part)
        {
            if (compact.Contains(part, StringComparison.Ordinal))
                return true;
            var dotted = alternatives.Aggregate(part, (p, a) => p.Replace(a.Item1, a.Item2, StringComparison.Ordinal));
            var merged = dotted.Replace("'+'", "", StringComparison.Ordinal);
            return compact.Contains(dotted, StringComparison.Ordinal)
                || compact.Contains(merged, StringComparison.Ordinal);
        }
        var missing = required.Where(p => !Has(p)).ToList();
        if (missing.Count > 0)
            throw new UnsuitableModelException(
                $"{directory}: the chat_template in tokenizer_config.json is not ChatML (missing "
                    + string.Join(" and ", missing)
                    + "); only ChatML templates (<|im_start|>role\\n…<|im_end|>) are rendered."
            );
        var system = DefaultSystem().Match(template);
        return system.Success
            ? system.Groups["text"].Value.Replace("\\n", "\n", StringComparison.Ordinal)
            : DefaultSystemPrompt;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>A literal default: set system_message = '…' closed by %}, nothing concatenated to it.</summary>
    [GeneratedRegex(@"set\s+system_message\s*=\s*'(?<text>[^']*)'\s*-?%\}")]
    private static partial Regex DefaultSystem();

    private static long ControlId(NoteTokenizer tokenizer, string token) =>
        tokenizer.Special.All.TryGetValue(token, out var id)
            ? id
            : throw new TokenizerFilesException(
                $"The tokenizer has no '{token}' control token, which the ChatML template needs."
            );
}
