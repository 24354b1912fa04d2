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
        return Initialise(new RobertaForSequenceClassification(config), config, seed, initStd);
    }

    /// <summary>A freshly initialised RobertaForMaskedLM (the decoder is the tied word embeddings).</summary>
    public static RobertaForMaskedLM RandomMaskedLM(RobertaConfig config, long seed, double initStd = 0.02)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Initialise(new RobertaForMaskedLM(config), config, seed, initStd);
    }

    /// <summary>Initialises the parameters whose names pass the filter (all of them by default).</summary>
    public static TModel Initialise<TModel>(
        TModel model,
        RobertaConfig config,
        long seed,
        double initStd = 0.02,
        Func<string, bool>? only = null
    )
        where TModel : nn.Module
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (only is not null && !only(name))
                continue;
            if (
                name.EndsWith("LayerNorm.weight", StringComparison.Ordinal)
                || name.EndsWith("layer_norm.weight", StringComparison.Ordinal)
            )
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
