namespace Clinical.Fuzz;

/// <summary>
/// One fuzz target: code that must hold for any input. <see cref="Run"/> throws (any exception) only when a property
/// of the code under test is broken: that is a crash for AFL and a failure for <see cref="FuzzRunner"/>.
/// <see cref="Seeds"/> start the AFL corpus and the random generation; <see cref="Generate"/> builds structured inputs
/// (a fuzzer that knows the format reaches deeper than byte flips alone).
/// </summary>
public sealed record FuzzTarget(
    string Name,
    string Description,
    Action<byte[]> Run,
    IReadOnlyList<byte[]> Seeds,
    Func<Random, byte[]> Generate
);

/// <summary>A property broken by one input: the input (to replay) and what was thrown.</summary>
public sealed record FuzzFailure(byte[] Input, Exception Error)
{
    public override string ToString() =>
        $"{Error.GetType().FullName}: {Error.Message}\ninput (base64): {Convert.ToBase64String(Input)}";
}

/// <summary>The outcome of an in-process run: inputs tried and the first failure, if any.</summary>
public sealed record FuzzReport(string Target, long Executions, TimeSpan Elapsed, FuzzFailure? Failure);

/// <summary>
/// In-process property-based fuzzing: seeds, structured inputs from the target's generator, and byte-level mutations
/// of both (bit flips, insertions, deletions, splices of interesting values), for a bounded time and a fixed seed so
/// that a failure can be replayed.
/// </summary>
public static class FuzzRunner
{
    private static readonly byte[][] Interesting =
    [
        "\0"u8.ToArray(),
        "\r\n"u8.ToArray(),
        "\""u8.ToArray(),
        "\\u0000"u8.ToArray(),
        "\\ud800"u8.ToArray(),
        "\u2212"u8.ToArray(),
        "."u8.ToArray(),
        "{}"u8.ToArray(),
        "[]"u8.ToArray(),
        "1e400"u8.ToArray(),
        "-9223372036854775809"u8.ToArray(),
        [0xFF, 0xFE],
        [0xC3],
    ];

    public static FuzzReport Run(FuzzTarget target, TimeSpan duration, int seed)
    {
        var random = new Random(seed);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long executions = 0;
        foreach (var input in target.Seeds)
        {
            if (Try(target, input, ref executions) is { } failure)
                return new FuzzReport(target.Name, executions, clock.Elapsed, failure);
        }
        while (clock.Elapsed < duration)
        {
            var input = random.Next(3) switch
            {
                0 => target.Generate(random),
                1 => Mutate(random, target.Seeds[random.Next(target.Seeds.Count)]),
                _ => Mutate(random, target.Generate(random)),
            };
            if (Try(target, input, ref executions) is { } failure)
                return new FuzzReport(target.Name, executions, clock.Elapsed, failure);
        }
        return new FuzzReport(target.Name, executions, clock.Elapsed, null);
    }

    private static FuzzFailure? Try(FuzzTarget target, byte[] input, ref long executions)
    {
        executions++;
        try
        {
            target.Run(input);
            return null;
        }
        catch (Exception error)
        {
            return new FuzzFailure(input, error);
        }
    }

    public static byte[] Mutate(Random random, byte[] input)
    {
        var bytes = new List<byte>(input);
        for (var edits = 1 + random.Next(4); edits > 0; edits--)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(8)));
                    break;
                case 2:
                    bytes.InsertRange(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 3:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                default:
                    if (bytes.Count > 0)
                    {
                        var from = random.Next(bytes.Count);
                        var length = Math.Min(bytes.Count - from, 1 + random.Next(16));
                        bytes.InsertRange(at, bytes.GetRange(from, length));
                    }
                    break;
            }
        }
        return [.. bytes];
    }
}
