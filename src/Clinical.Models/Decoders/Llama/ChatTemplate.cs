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
public static class ChatTemplate
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

    public static IReadOnlyList<ChatMessage> WithSystem(IReadOnlyList<ChatMessage> messages) =>
        messages.Count > 0 && messages[0].Role == "system"
            ? messages
            : [ChatMessage.System(DefaultSystemPrompt), .. messages];

    /// <summary>
    /// The prompt as text, as transformers' apply_chat_template(tokenize=False, add_generation_prompt=True) renders it
    /// (without bos).
    /// </summary>
    public static string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true)
    {
        var text = string.Concat(WithSystem(messages).Select(m => $"{ImStart}{m.Role}\n{m.Content}{ImEnd}\n"));
        return addGenerationPrompt ? text + $"{ImStart}assistant\n" : text;
    }

    /// <summary>
    /// Token ids of the prompt: bos when the tokenizer adds one, then each message as im_start, the ids of
    /// "{role}\n{content}", im_end and the ids of "\n"; then im_start and the ids of "assistant\n".
    /// </summary>
    public static long[] Encode(
        NoteTokenizer tokenizer,
        IReadOnlyList<ChatMessage> messages,
        bool addGenerationPrompt = true
    )
    {
        var start = ControlId(tokenizer, ImStart);
        var end = ControlId(tokenizer, ImEnd);
        var newline = tokenizer.Encode("\n").Ids;
        var ids = new List<long>();
        if (tokenizer.AddsBos)
            ids.Add(SpecialTokens.Require(tokenizer.Special.Bos, "beginning-of-sequence"));
        foreach (var message in WithSystem(messages))
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

    private static long ControlId(NoteTokenizer tokenizer, string token) =>
        tokenizer.Special.All.TryGetValue(token, out var id)
            ? id
            : throw new TokenizerFilesException(
                $"The tokenizer has no '{token}' control token, which the ChatML template needs."
            );
}
