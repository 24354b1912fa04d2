using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clinical.DevTools.Text;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Text;

namespace Clinical.DevTools.Checkpoints;

/// <summary>
/// Tiny random classifier folders in the published shapes of the ALIA family's encoders (shared/REFERENCE.md):
/// mRoBERTa (BSC-LT/mRoBERTa: an XLM-RoBERTa-layout encoder over Salamandra's SentencePiece vocabulary, so every id
/// comes from the files: pad 3, not RoBERTa's 1) and RoBERTa-ca (a RoBERTa encoder with a byte-level BPE
/// vocabulary learnt on Catalan). The weights are random; the shapes, files and ids are what is being exercised.
/// </summary>
public static class TinyAliaEncoders
{
    /// <summary>Catalan primary-care phrases the RoBERTa-ca-shaped vocabulary is learnt from.</summary>
    public static readonly IReadOnlyList<string> CatalanTexts =
    [
        "Home de 78 anys amb HTA i DM2. Refereix dispnea d'esforç i edemes mal·leolars bilaterals.",
        "Nega ortopnea i dispnea paroxística nocturna. Crepitants bibasals. Ingurgitació jugular.",
        "Augment de pes de 3 kg en una setmana. NT-proBNP elevat. Pendent d'ecocardiograma.",
        "Control rutinari d'HTA. Asimptomàtica. Tensió ben controlada amb enalapril.",
        "Dolor lumbar mecànic després d'un esforç. Sense irradiació. Paracetamol a demanda.",
        "Revisió de DM2. HbA1c 6,8 %. Sense canvis en el tractament. Dieta i exercici.",
        "Refredat de vies altes de tres dies. Afebril. Auscultació normal. Simptomàtic.",
        "Insuficiència cardíaca amb fracció d'ejecció reduïda. Furosemida i bisoprolol.",
    ];

    /// <summary>
    /// mRoBERTa's shape: tokenizer.model (SentencePiece BPE with Salamandra's layout, &lt;unk&gt;0 &lt;s&gt;1
    /// &lt;/s&gt;2 &lt;pad&gt;3, byte fallback) learnt from <paramref name="texts"/>, &lt;mask&gt; added after the
    /// last piece, tokenizer_class XLMRobertaTokenizer, model_type xlm-roberta.
    /// </summary>
    public static RobertaConfig WriteMRoberta(
        string directory,
        IEnumerable<string> texts,
        TinyRobertaOptions? options = null,
        int merges = 300
    )
    {
        options ??= new TinyRobertaOptions();
        Directory.CreateDirectory(directory);
        var pieces = SentencePieceTrainer.TrainBpe(texts, merges);
        SentencePieceModelFile.Write(Path.Combine(directory, "tokenizer.model"), pieces);
        var mask = pieces.Pieces.Count;
        var tokenizerConfig = new JsonObject
        {
            ["tokenizer_class"] = "XLMRobertaTokenizer",
            ["bos_token"] = "<s>",
            ["eos_token"] = "</s>",
            ["sep_token"] = "</s>",
            ["cls_token"] = "<s>",
            ["unk_token"] = "<unk>",
            ["pad_token"] = "<pad>",
            ["mask_token"] = "<mask>",
            ["added_tokens_decoder"] = new JsonObject
            {
                [mask.ToString(CultureInfo.InvariantCulture)] = new JsonObject
                {
                    ["content"] = "<mask>",
                    ["special"] = true,
                },
            },
        };
        File.WriteAllText(
            Path.Combine(directory, "tokenizer_config.json"),
            tokenizerConfig.ToJsonString(new JsonSerializerOptions { WriteIndented = true })
        );
        var config = new RobertaConfig
        {
            ModelType = "xlm-roberta",
            VocabSize = mask + 1,
            HiddenSize = options.Hidden,
            NumHiddenLayers = options.Layers,
            NumAttentionHeads = options.Heads,
            IntermediateSize = options.Intermediate,
            MaxPositionEmbeddings = options.MaxPositionEmbeddings,
            TypeVocabSize = 1,
            LayerNormEps = 1e-5,
            PadTokenId = 3,
            BosTokenId = 1,
            EosTokenId = 2,
            Id2Label = options.Labels.Select((label, i) => (label, i)).ToDictionary(x => x.i, x => x.label),
        };
        TinyRobertaCheckpoint.WriteModel(directory, config, options);
        return config;
    }

    /// <summary>
    /// RoBERTa-ca's shape as issue 17 describes it: a RoBERTa classifier whose byte-level BPE vocabulary is learnt on
    /// Catalan (shared/REFERENCE.md lists BSC-LT/RoBERTa-ca as SentencePiece; that shape is WriteMRoberta's).
    /// </summary>
    public static RobertaConfig WriteRobertaCa(string directory, TinyRobertaOptions? options = null) =>
        TinyRobertaCheckpoint.Write(directory, CatalanTexts, options);
}
