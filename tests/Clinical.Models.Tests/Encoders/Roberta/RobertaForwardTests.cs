using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using Clinical.Models.Tests.Text;
using Clinical.Models.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.Models.Tests.Encoders.Roberta;

public sealed class RobertaForwardTests : IDisposable
{
    private readonly TinyRoberta _tiny = new();

    public void Dispose() => _tiny.Dispose();

    [Fact]
    public void Given_text_alone_and_in_a_padded_batch_When_classified_Then_logits_agree_within_1e_5()
    {
        var tokenizer = NoteTokenizer.Load(_tiny.Directory);
        const string shortNote = "Niega disnea.";
        foreach (var target in ComputeTarget.Available())
        {
            using var scope = NewDisposeScope();
            using var inference = inference_mode();
            using var model = RobertaCheckpoint.Load(
                _tiny.Directory,
                ComputeTarget.Cpu with
                {
                    Device = target.Device,
                }
            );
            var (aloneIds, aloneMask) = RobertaInputs.Batch(tokenizer, [shortNote], target.Device);
            var (batchIds, batchMask) = RobertaInputs.Batch(
                tokenizer,
                [ClinicalTexts.Corpus[1], shortNote, ClinicalTexts.Tricky],
                target.Device,
                padTo: 40
            );

            var alone = model.call(aloneIds, aloneMask).cpu();
            var batched = model.call(batchIds, batchMask).cpu();

            Assert.True(batchMask[1].sum().item<long>() < 40, "the short note must be padded in the batch");
            var difference = alone[0].sub(batched[1]).abs().max().item<float>();
            Assert.True(difference < 1e-5f, $"max |Δlogit| = {difference} on {target}");
            Assert.True(
                batched[0].sub(batched[1]).abs().max().item<float>() > 1e-3f,
                "different notes must give different logits"
            );
        }
    }

    [Fact]
    public void Given_hidden_states_When_classified_Then_the_head_reads_only_the_first_token()
    {
        var tokenizer = NoteTokenizer.Load(_tiny.Directory);
        var folder = CheckpointFolder.Open(_tiny.Directory);
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        using var model = RobertaCheckpoint.Load(_tiny.Directory, ComputeTarget.Cpu);
        var (ids, mask) = RobertaInputs.Batch(tokenizer, [ClinicalTexts.Corpus[0], ClinicalTexts.Corpus[2]], CPU);

        var hidden = model.Encode(ids, mask); // (B, T, C)
        var first = hidden.select(1, 0); // (B, C)
        var manual = nn.functional.linear(
            nn.functional.linear(first, folder.Read("classifier.dense.weight"), folder.Read("classifier.dense.bias"))
                .tanh(),
            folder.Read("classifier.out_proj.weight"),
            folder.Read("classifier.out_proj.bias")
        );
        var logits = model.call(ids, mask);

        Assert.Equal(0, ids[0, 0].item<long>());
        Assert.True(manual.sub(logits).abs().max().item<float>() < 1e-5f);
        var fromLastToken = nn.functional.linear(
            nn.functional.linear(
                    hidden.select(1, 5),
                    folder.Read("classifier.dense.weight"),
                    folder.Read("classifier.dense.bias")
                )
                .tanh(),
            folder.Read("classifier.out_proj.weight"),
            folder.Read("classifier.out_proj.bias")
        );
        Assert.True(fromLastToken.sub(logits).abs().max().item<float>() > 1e-4f);
    }

    [Fact]
    public void Given_padded_positions_When_encoded_Then_real_token_states_do_not_depend_on_pad_content()
    {
        var tokenizer = NoteTokenizer.Load(_tiny.Directory);
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        using var model = RobertaCheckpoint.Load(_tiny.Directory, ComputeTarget.Cpu);
        var (ids, mask) = RobertaInputs.Batch(tokenizer, ["Niega disnea."], CPU, padTo: 20);
        var real = (int)mask.sum().item<long>();
        var garbage = ids.clone();
        garbage[0, TensorIndex.Slice(real, null)] = tensor(7L);

        var clean = model.Encode(ids, mask).narrow(1, 0, real);
        var noisy = model.Encode(garbage, mask).narrow(1, 0, real);

        Assert.True(clean.sub(noisy).abs().max().item<float>() < 1e-5f);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Given_more_windows_than_one_cpu_pass_When_classified_Then_each_scores_as_alone(bool int8)
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        using var model = RobertaCheckpoint.Load(_tiny.Directory, ComputeTarget.Cpu);
        if (int8)
            QuantizedLinear.QuantizeAll(model);
        var config = _tiny.Config;
        const int length = 256;
        var perPass = MicroBatches.WindowsPerPass(
            length,
            Math.Max(config.IntermediateSize, 3L * config.HiddenSize),
            config.NumAttentionHeads
        );
        var ids = randint(3, config.VocabSize, [perPass + 2, length], dtype: ScalarType.Int64);
        var mask = ones_like(ids);
        mask[-1, TensorIndex.Slice(length / 2, null)] = tensor(0L);

        var batched = model.call(ids, mask);

        Assert.Equal([perPass + 2, config.NumLabels], batched.shape);
        foreach (var window in new long[] { 0, perPass - 1, perPass, perPass + 1 })
        {
            var alone = model.call(ids.narrow(0, window, 1), mask.narrow(0, window, 1));
            var difference = alone[0].sub(batched[window]).abs().max().item<float>();
            Assert.True(difference < 1e-5f, $"window {window}: max |Δlogit| = {difference}");
        }
    }
}
