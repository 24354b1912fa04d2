// The ONNX graph of our RobertaForSequenceClassification (src/Clinical.Models/Encoders/Roberta/Roberta.cs), node for
// node the computation of huggingface/transformers modeling_roberta.py in eager mode: position ids from the padding
// (create_position_ids_from_input_ids), an additive attention mask of finfo(float32).min
// (modeling_attn_mask_utils), softmax(QKᵀ / √d + mask)·V, exact erf GELU and the <s>-token classification head.
// Opset 17 (LayerNormalization); int8 adds com.microsoft opset 1 (DynamicQuantizeMatMul).
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.DevTools.Onnx;

/// <summary>
/// Builds the ONNX model of a RoBERTa classifier from the weights it holds, so that ONNX Runtime runs the same
/// computation on the same weights. Inputs input_ids and attention_mask (batch, sequence) int64; output logits
/// (batch, labels) fp32. <see cref="Precision.Int8"/> runs the encoder's linear layers (query, key, value, attention
/// output, intermediate, output: the ones our int8 path quantizes) as com.microsoft DynamicQuantizeMatMul with the
/// weights <see cref="Int8Matmul.QuantizeWeight"/> gives (symmetric int8, one scale per output channel); ONNX
/// Runtime quantizes each call's activations its own way (one asymmetric uint8 scale per tensor, where ours takes
/// one symmetric scale per token). Attention, LayerNorm, GELU, embeddings and the head stay fp32 in both.
/// </summary>
public static class RobertaOnnxGraph
{
    public static byte[] Build(RobertaForSequenceClassification model, Precision precision)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (precision == Precision.Bf16)
            throw new NotSupportedException("The ONNX peer runs fp32 or int8.");
        if (model.Config.HiddenAct != "gelu")
            throw new NotSupportedException(
                $"hidden_act '{model.Config.HiddenAct}': the ONNX graph has erf GELU only."
            );
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var builder = new Builder(model.state_dict(), precision == Precision.Int8);
        var logits = builder.Classifier(model.Config);
        var graph = OnnxProto.Graph(
            "roberta_for_sequence_classification",
            builder.Nodes,
            builder.Initializers,
            [
                OnnxProto.ValueInfo(Builder.InputIds, OnnxType.Int64, "batch", "sequence"),
                OnnxProto.ValueInfo(Builder.AttentionMask, OnnxType.Int64, "batch", "sequence"),
            ],
            [OnnxProto.ValueInfo(logits, OnnxType.Float, "batch", model.Config.NumLabels)]
        );
        List<(string, long)> opsets = precision == Precision.Int8 ? [("", 17), ("com.microsoft", 1)] : [("", 17)];
        return OnnxProto.Model(graph, opsets).ToArray();
    }

    private sealed class Builder(IReadOnlyDictionary<string, Tensor> state, bool int8)
    {
        public const string InputIds = "input_ids";
        public const string AttentionMask = "attention_mask";
        public const string Logits = "logits";

        private readonly HashSet<string> _constants = [];
        private int _count;
        private string _scope = "";

        public List<ProtoMessage> Nodes { get; } = [];
        public List<ProtoMessage> Initializers { get; } = [];

        public string Classifier(RobertaConfig config)
        {
            var hidden = Embeddings(config);
            var additiveMask = AdditiveMask();
            for (var i = 0; i < config.NumHiddenLayers; i++)
                hidden = Layer($"roberta.encoder.layer.{i}.", hidden, additiveMask, config);

            // RobertaClassificationHead: the <s> token → dense → tanh → out_proj (dropout is off in eval).
            _scope = "classifier";
            var first = Op("Gather", [hidden, Scalar("zero", 0L)], [OnnxProto.IntAttribute("axis", 1)]); // (B, C)
            var dense = Op("Tanh", [Linear("classifier.dense", first, quantized: false)]);
            return Linear("classifier.out_proj", dense, quantized: false, output: Logits);
        }

        private string Embeddings(RobertaConfig config)
        {
            const string prefix = "roberta.embeddings.";
            _scope = "embeddings";
            // create_position_ids_from_input_ids: real tokens count up from padding_idx + 1, pads keep padding_idx.
            var pad = Scalar("padding_idx", (long)config.PadTokenId);
            var real = Op(
                "Cast",
                [Op("Not", [Op("Equal", [InputIds, pad])])],
                [OnnxProto.IntAttribute("to", (int)OnnxType.Int64)]
            ); // (B, T)
            var positions = Op("Add", [Op("Mul", [Op("CumSum", [real, Scalar("sequence_axis", 1L)]), real]), pad]);
            var words = Op("Gather", [Weight(prefix + "word_embeddings.weight"), InputIds]); // (B, T, C)
            // token_type_ids are all zero: every token adds row 0 of the token type embeddings.
            var tokenType = Initializer(
                prefix + "token_type_embeddings.weight[0]",
                state[prefix + "token_type_embeddings.weight"][0]
            );
            var position = Op("Gather", [Weight(prefix + "position_embeddings.weight"), positions]); // (B, T, C)
            var sum = Op("Add", [Op("Add", [words, tokenType]), position]);
            return LayerNorm(prefix + "LayerNorm", sum, config);
        }

        /// <summary>(1 − mask) · finfo(float32).min as (B, 1, 1, T), added to every head's scores.</summary>
        private string AdditiveMask()
        {
            _scope = "mask";
            var mask = Op("Cast", [AttentionMask], [OnnxProto.IntAttribute("to", (int)OnnxType.Float)]);
            var masked = Op("Mul", [Op("Sub", [Scalar("one", 1f), mask]), Scalar("float_min", float.MinValue)]);
            return Op("Unsqueeze", [masked, Vector("axes_1_2", [1L, 2L])]); // (B, 1, 1, T)
        }

        private string Layer(string prefix, string hidden, string additiveMask, RobertaConfig config)
        {
            _scope = prefix.TrimEnd('.');
            var (heads, headDim) = ((long)config.NumAttentionHeads, (long)config.HeadDim);
            var splitHeads = Vector("split_heads", [0L, 0L, heads, headDim]);
            string Heads(string x, long[] perm) =>
                Op("Transpose", [Op("Reshape", [x, splitHeads])], [OnnxProto.IntsAttribute("perm", perm)]);

            var self = prefix + "attention.self.";
            var q = Heads(Linear(self + "query", hidden), [0, 2, 1, 3]); // (B, H, T, D)
            var kT = Heads(Linear(self + "key", hidden), [0, 2, 3, 1]); // (B, H, D, T)
            var v = Heads(Linear(self + "value", hidden), [0, 2, 1, 3]); // (B, H, T, D)
            var scores = Op("Div", [Op("MatMul", [q, kT]), Scalar("sqrt_head_dim", MathF.Sqrt(headDim))]);
            var probabilities = Op(
                "Softmax",
                [Op("Add", [scores, additiveMask])],
                [OnnxProto.IntAttribute("axis", -1)]
            ); // (B, H, T, T)
            var context = Op(
                "Transpose",
                [Op("MatMul", [probabilities, v])],
                [OnnxProto.IntsAttribute("perm", [0, 2, 1, 3])]
            ); // (B, T, H, D)
            context = Op("Reshape", [context, Vector("merge_heads", [0L, 0L, heads * headDim])]); // (B, T, C)

            var attention = prefix + "attention.output.";
            var attended = LayerNorm(
                attention + "LayerNorm",
                Op("Add", [Linear(attention + "dense", context), hidden]),
                config
            );
            var intermediate = Gelu(Linear(prefix + "intermediate.dense", attended));
            var output = prefix + "output.";
            return LayerNorm(
                output + "LayerNorm",
                Op("Add", [Linear(output + "dense", intermediate), attended]),
                config
            );
        }

        /// <summary>Exact GELU as transformers writes it: x · 0.5 · (1 + erf(x / √2)).</summary>
        private string Gelu(string x)
        {
            var erf = Op("Erf", [Op("Div", [x, Scalar("sqrt_2", MathF.Sqrt(2f))])]);
            return Op("Mul", [Op("Mul", [x, Op("Add", [erf, Scalar("one", 1f)])]), Scalar("half", 0.5f)]);
        }

        private string LayerNorm(string key, string x, RobertaConfig config) =>
            Op(
                "LayerNormalization",
                [x, Weight(key + ".weight"), Weight(key + ".bias")],
                [OnnxProto.IntAttribute("axis", -1), OnnxProto.FloatAttribute("epsilon", (float)config.LayerNormEps)]
            );

        /// <summary>
        /// y = x · Wᵀ + b: fp32 MatMul and Add, or (int8 encoder layers) DynamicQuantizeMatMul(x, W_int8ᵀ, scales,
        /// no zero point, b).
        /// </summary>
        private string Linear(string key, string x, bool quantized = true, string? output = null)
        {
            var weight = state[key + ".weight"]; // (N, K)
            var bias = Weight(key + ".bias");
            if (!int8 || !quantized)
            {
                var product = Op("MatMul", [x, Initializer(key + ".weight_t", weight.t())]); // (..., N)
                return Op("Add", [product, bias], output: output);
            }
            var (weightT, scale) = Int8Matmul.QuantizeWeight(weight); // (K, N) int8, (N) fp32
            var int8Weight = Initializer(key + ".weight_t_int8", weightT);
            var scales = Initializer(key + ".weight_scale", scale);
            return Op(
                "DynamicQuantizeMatMul",
                [x, int8Weight, scales, "", bias],
                domain: "com.microsoft",
                output: output
            );
        }

        private string Op(
            string opType,
            string[] inputs,
            ProtoMessage[]? attributes = null,
            string domain = "",
            string? output = null
        )
        {
            var name = $"{_scope}/{opType}_{_count++}";
            output ??= name;
            Nodes.Add(OnnxProto.Node(opType, inputs, [output], name, domain, attributes));
            return output;
        }

        private string Weight(string key) => Initializer(key, state[key]);

        /// <summary>A tensor of the model as an initializer: fp32, or int8 for quantized weights.</summary>
        private string Initializer(string name, Tensor tensor)
        {
            var dims = tensor.shape;
            var contiguous = tensor.detach().contiguous();
            Initializers.Add(
                contiguous.dtype == ScalarType.Int8
                    ? OnnxProto.Tensor(name, dims, OnnxType.Int8, contiguous.data<sbyte>().ToArray())
                    : OnnxProto.Tensor(
                        name,
                        dims,
                        OnnxType.Float,
                        contiguous.to(ScalarType.Float32).data<float>().ToArray()
                    )
            );
            return name;
        }

        private string Scalar<T>(string name, T value)
            where T : unmanaged => Constant(name, [], value);

        private string Vector(string name, long[] values) => Constant(name, [values.Length], values);

        private string Constant<T>(string name, long[] dims, params T[] values)
            where T : unmanaged
        {
            if (!_constants.Add(name))
                return name;
            var type = typeof(T) == typeof(long) ? OnnxType.Int64 : OnnxType.Float;
            Initializers.Add(OnnxProto.Tensor(name, dims, type, values));
            return name;
        }
    }
}
