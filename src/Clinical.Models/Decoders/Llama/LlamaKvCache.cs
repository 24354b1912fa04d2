using static TorchSharp.torch;

namespace Clinical.Models.Decoders.Llama;

/// <summary>
/// Preallocated key/value cache: per layer one key and one value buffer of (B, KV, MaxLength, D),
/// written in place as tokens arrive. Keys are stored after rotary embedding and before the GQA repeat.
/// </summary>
public sealed class LlamaKvCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;

    public LlamaKvCache(LlamaConfig config, long batch, long maxLength, Device device, ScalarType dtype)
    {
        Batch = batch;
        MaxLength = maxLength;
        long[] shape = [batch, config.NumKeyValueHeads, maxLength, config.HeadDim]; // (B, KV, S, D)
        _keys = new Tensor[config.NumHiddenLayers];
        _values = new Tensor[config.NumHiddenLayers];
        for (var layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            _keys[layer] = zeros(shape, dtype: dtype, device: device).DetachFromDisposeScope();
            _values[layer] = zeros(shape, dtype: dtype, device: device).DetachFromDisposeScope();
        }
    }

    public long Batch { get; }

    public long MaxLength { get; }

    public long Bytes => _keys.Concat(_values).Sum(t => t.NumberOfElements * t.ElementSize);

    /// <summary>
    /// Writes keys and values (B, KV, T, D) at [start, start + T) and returns views of [0, start + T).
    /// </summary>
    public (Tensor Keys, Tensor Values) Update(int layer, Tensor keys, Tensor values, long start)
    {
        var length = keys.shape[2];
        if (start < 0 || start + length > MaxLength)
            throw new ArgumentOutOfRangeException(
                nameof(start),
                $"Cache positions [{start}, {start + length}) fall outside its {MaxLength} slots."
            );
        _keys[layer].narrow(2, start, length).copy_(keys);
        _values[layer].narrow(2, start, length).copy_(values);
        // (B, KV, S, D)
        return (_keys[layer].narrow(2, 0, start + length), _values[layer].narrow(2, 0, start + length));
    }

    public void Dispose()
    {
        foreach (var t in _keys.Concat(_values))
            t.Dispose();
    }
}
