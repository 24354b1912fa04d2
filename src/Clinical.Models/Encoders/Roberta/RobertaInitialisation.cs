using static TorchSharp.torch;

namespace Clinical.Models.Encoders.Roberta;

/// <summary>
/// A freshly initialised classifier as transformers' <c>RobertaPreTrainedModel._init_weights</c> does it: normal
/// weights, zero biases, unit LayerNorm, zero padding rows. Its own seeded generator, so parallel work cannot change
/// it.
/// </summary>
public static class RobertaInitialisation
{
    public static RobertaForSequenceClassification Random(RobertaConfig config, long seed, double initStd = 0.02)
    {
        ArgumentNullException.ThrowIfNull(config);
        var model = new RobertaForSequenceClassification(config);
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.EndsWith("LayerNorm.weight", StringComparison.Ordinal))
                parameter.fill_(1);
            else if (name.EndsWith(".bias", StringComparison.Ordinal))
                parameter.zero_();
            else
                parameter.normal_(0, initStd, generator);
            if (
                name.EndsWith("word_embeddings.weight", StringComparison.Ordinal)
                || name.EndsWith("position_embeddings.weight", StringComparison.Ordinal)
            )
            {
                using var paddingRow = parameter[config.PadTokenId];
                paddingRow.zero_();
            }
        }
        model.eval();
        return model;
    }
}
