using System.Text.Json;
using System.Text.Json.Nodes;
using Clinical.DevTools.Text;
using Clinical.Models.Decoders.Llama;
using Clinical.Models.Text;

namespace Clinical.DevTools.Checkpoints;

/// <summary>
/// A tiny random Salamandra-like instruct folder for tests and demos: a SentencePiece BPE tokenizer.model with
/// Salamandra's layout (&lt;s&gt;1 &lt;/s&gt;2 &lt;|im_start|&gt;4 &lt;|im_end|&gt;5, byte fallback) learnt from a few
/// clinical phrases, tokenizer_config.json (add_bos_token true, add_eos_token false), and a GQA Llama
/// checkpoint whose vocab_size equals the tokenizer's. The weights are random, so what it writes is meaningless.
/// </summary>
public static class TinySalamandra
{
    private static readonly string[] Corpus =
    [
        "Varón de 74 años con HTA y DM2. Refiere disnea de esfuerzo y edemas maleolares.",
        "Niega ortopnea y DPN. Crepitantes bibasales. Ingurgitación yugular. Ganancia de peso.",
        "NT-proBNP elevado. Pendiente de ecocardiograma. FEVI conservada. Furosemida.",
        "Resumen de la historia clínica: insuficiencia cardiaca, síntomas, valores, medicación.",
        "Home de 78 anys. Refereix dispnea d'esforç i edemes mal·leolars. Nega ortopnea.",
        "Resum de la història clínica: insuficiència cardíaca, símptomes, valors, medicació.",
        "system\nuser\nassistant\n",
    ];

    /// <summary>
    /// A ChatML chat template in the form Salamandra's and ALIA's instruct folders use (a default system message when
    /// the chat has none, each message as &lt;|im_start|&gt;role\n…&lt;|im_end|&gt;\n, the generation prompt last).
    /// </summary>
    public const string ChatMlTemplate =
        "{%- if messages[0]['role'] == 'system' %}{%- set system_message = messages[0]['content'] %}"
        + "{%- set loop_messages = messages[1:] %}{%- else %}"
        + "{%- set system_message = 'I am a tiny test model.' %}{%- set loop_messages = messages %}{%- endif %}"
        + "{{- '<|im_start|>system\\n' + system_message + '<|im_end|>\\n' }}"
        + "{%- for message in loop_messages %}"
        + "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
        + "{%- endfor %}{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}";

    /// <summary>
    /// The model config for a tokenizer of <paramref name="vocabSize"/> pieces: TinyLlamaCheckpoint.GroupedQuery with
    /// room for long prompts.
    /// </summary>
    public static LlamaConfig Config(int vocabSize) =>
        TinyLlamaCheckpoint.GroupedQuery with
        {
            VocabSize = vocabSize,
            MaxPositionEmbeddings = 4096,
        };

    public static LlamaConfig Write(string directory, ulong seed, int merges = 200)
    {
        Directory.CreateDirectory(directory);
        var tokenizer = SentencePieceTrainer.TrainBpe(Corpus, merges);
        SentencePieceModelFile.Write(Path.Combine(directory, "tokenizer.model"), tokenizer);
        var tokenizerConfig = new JsonObject
        {
            ["add_bos_token"] = true,
            ["add_eos_token"] = false,
            ["bos_token"] = "<s>",
            ["eos_token"] = "</s>",
            ["pad_token"] = "<pad>",
            ["unk_token"] = "<unk>",
            ["tokenizer_class"] = "LlamaTokenizer",
            ["chat_template"] = ChatMlTemplate,
        };
        File.WriteAllText(
            Path.Combine(directory, "tokenizer_config.json"),
            tokenizerConfig.ToJsonString(new JsonSerializerOptions { WriteIndented = true })
        );
        var config = Config(tokenizer.Pieces.Count);
        TinyLlamaCheckpoint.Write(directory, config, seed);
        return config;
    }
}
