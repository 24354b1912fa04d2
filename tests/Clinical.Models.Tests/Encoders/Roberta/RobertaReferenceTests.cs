using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using Clinical.Models.Tests.Text;
using Clinical.Models.Text;
using static TorchSharp.torch;

namespace Clinical.Models.Tests.Encoders.Roberta;

/// <summary>
/// Hand-checked invariant while no transformers goldens exist: the module forward equals a plain
/// re-derivation of modeling_roberta.py's eager path written with explicit ops (masked softmax
/// attention, erf GELU, post-norm) over the checkpoint tensors.
/// </summary>
public sealed class RobertaReferenceTests : IDisposable
{
    private readonly TinyRoberta _tiny = new();

    public void Dispose() => _tiny.Dispose();

    [Fact]
    public void Given_padded_batch_When_classified_Then_logits_equal_an_explicit_eager_attention_derivation()
    {
        var tokenizer = NoteTokenizer.Load(_tiny.Directory);
        var folder = CheckpointFolder.Open(_tiny.Directory);
        var config = _tiny.Config;
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        using var model = RobertaCheckpoint.Load(_tiny.Directory, ComputeTarget.Cpu);
        var (ids, mask) = RobertaInputs.Batch(tokenizer, [ClinicalTexts.Corpus[0], "Niega disnea."], CPU);

        var expected = Reference(folder, config, ids, mask);
        var actual = model.call(ids, mask);

        var worst = expected.sub(actual).abs().max().item<float>();
        Assert.True(worst < 1e-4f, $"max |Δlogit| = {worst}");
    }

    private static Tensor Reference(CheckpointFolder w, RobertaConfig config, Tensor ids, Tensor mask)
    {
        Tensor W(string name) => w.Read(name);
        Tensor Linear(Tensor x, string prefix) => x.matmul(W(prefix + ".weight").t()).add(W(prefix + ".bias"));
        Tensor Norm(Tensor x, string prefix)
        {
            var mean = x.mean([-1], keepdim: true);
            var variance = x.sub(mean).pow(2).mean([-1], keepdim: true);
            return x.sub(mean)
                .div(variance.add(config.LayerNormEps).sqrt())
                .mul(W(prefix + ".weight"))
                .add(W(prefix + ".bias"));
        }

        var (batch, length) = (ids.shape[0], ids.shape[1]);
        var pad = config.PadTokenId;
        var positions = new long[batch * length];
        var data = ids.data<long>().ToArray();
        for (var b = 0; b < batch; b++)
        {
            var next = pad;
            for (var t = 0; t < length; t++)
                positions[b * length + t] = data[b * length + t] == pad ? pad : ++next;
        }
        var h = W("roberta.embeddings.word_embeddings.weight")
            .index_select(0, ids.flatten())
            .reshape(batch, length, -1)
            .add(
                W("roberta.embeddings.position_embeddings.weight")
                    .index_select(0, tensor(positions))
                    .reshape(batch, length, -1)
            )
            .add(W("roberta.embeddings.token_type_embeddings.weight")[0]);
        h = Norm(h, "roberta.embeddings.LayerNorm");

        var heads = config.NumAttentionHeads;
        var d = config.HeadDim;
        var additive = mask.eq(0).to(ScalarType.Float32).mul(float.MinValue).reshape(batch, 1, 1, length);
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            var p = $"roberta.encoder.layer.{i}.";
            Tensor Heads(Tensor x) => x.reshape(batch, length, heads, d).permute(0, 2, 1, 3); // (B, H, T, D)
            var q = Heads(Linear(h, p + "attention.self.query"));
            var k = Heads(Linear(h, p + "attention.self.key"));
            var v = Heads(Linear(h, p + "attention.self.value"));
            var scores = q.matmul(k.transpose(-1, -2)).div(Math.Sqrt(d)).add(additive); // (B, H, T, T)
            var context = scores.softmax(-1).matmul(v).permute(0, 2, 1, 3).reshape(batch, length, -1); // (B, T, C)
            var attention = Norm(
                Linear(context, p + "attention.output.dense").add(h),
                p + "attention.output.LayerNorm"
            );
            var up = Linear(attention, p + "intermediate.dense");
            var gelu = up.mul(0.5).mul(up.div(Math.Sqrt(2)).erf().add(1));
            h = Norm(Linear(gelu, p + "output.dense").add(attention), p + "output.LayerNorm");
        }
        var first = h.select(1, 0);
        return Linear(Linear(first, "classifier.dense").tanh(), "classifier.out_proj");
    }
}
