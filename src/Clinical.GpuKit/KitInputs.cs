using System.Text.Json;
using System.Text.Json.Nodes;
using Clinical.DevTools.Checkpoints;
using Clinical.Models.Text;

namespace Clinical.GpuKit;

/// <summary>
/// The tiny checkpoints the kit carries and the inputs both sides run: a byte-level BPE RoBERTa classifier, an
/// mRoBERTa-shaped one (SentencePiece, XLM-R layout) and a Salamandra-shaped Llama, with the C# tokenizer's ids of
/// the texts (transformers gets the same ids, so model parity does not depend on its tokenizer classes).
/// </summary>
/// Read and written through JsonNode (no reflection), as the trimmed runner reads it.
public sealed record KitInputs(
    IReadOnlyList<string> Texts,
    IReadOnlyDictionary<string, IReadOnlyList<int[]>> Encoders,
    int[] LlamaPrompt,
    int LlamaNewTokens
)
{
    public const string FileName = "inputs.json";
    public static readonly string[] EncoderNames = ["roberta", "mroberta"];

    public static readonly IReadOnlyList<string> DefaultTexts =
    [
        "Paciente de 78 años con disnea de esfuerzo y ortopnea. Edemas en MMII.",
        "Niega disnea.",
        "Home de 78 anys. Refereix dispnea d'esforç i edemes mal·leolars. Nega ortopnea.",
        "NT-proBNP 1250 pg/mL, FEVI 35 %. Se inicia furosemida 40 mg.",
    ];

    public static KitInputs Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var corpus = DefaultTexts.Concat(TinyAliaEncoders.CatalanTexts).ToList();
        TinyRobertaCheckpoint.Write(Path.Combine(directory, "roberta"), corpus);
        TinyAliaEncoders.WriteMRoberta(Path.Combine(directory, "mroberta"), corpus);
        TinySalamandra.Write(Path.Combine(directory, "llama"), seed: 7);
        var encoders = EncoderNames.ToDictionary(
            name => name,
            name =>
            {
                var tokenizer = NoteTokenizer.Load(Path.Combine(directory, name));
                return (IReadOnlyList<int[]>)
                    DefaultTexts.Select(t => tokenizer.EncodeForModel(t).Ids.ToArray()).ToList();
            }
        );
        var llama = NoteTokenizer.Load(Path.Combine(directory, "llama"));
        var inputs = new KitInputs(
            DefaultTexts,
            encoders,
            [.. llama.EncodeForModel(DefaultTexts[0]).Ids],
            LlamaNewTokens: 12
        );
        var json = new JsonObject
        {
            ["texts"] = Ints.Strings(inputs.Texts),
            ["encoders"] = new JsonObject(
                encoders.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Ints.Rows(kv.Value)))
            ),
            ["llama_prompt"] = Ints.Row(inputs.LlamaPrompt),
            ["llama_new_tokens"] = inputs.LlamaNewTokens,
        };
        File.WriteAllText(Path.Combine(directory, FileName), json.ToJsonString(Ints.Indented));
        return inputs;
    }

    public static KitInputs Read(string directory)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, FileName)))!.AsObject();
        return new KitInputs(
            [.. json["texts"]!.AsArray().Select(t => t!.GetValue<string>())],
            json["encoders"]!.AsObject().ToDictionary(kv => kv.Key, kv => Ints.ReadRows(kv.Value!)),
            Ints.ReadRow(json["llama_prompt"]!),
            json["llama_new_tokens"]!.GetValue<int>()
        );
    }
}
