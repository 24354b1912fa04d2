using System.Text.Json.Nodes;
using Clinical.GpuKit;
using Clinical.Models.Runtime;

// gpu-kit checkpoints DIR             writes the tiny checkpoints and inputs.json (at kit build time, with .NET)
// gpu-kit run --kit DIR --goldens DIR --out FILE [--device auto] [--bench base|small|none]
//                                     parity checks, bf16, benchmarks; one results JSON; exit 1 when a check fails
try
{
    if (args is ["checkpoints", var directory])
    {
        KitInputs.Write(directory);
        Console.Error.WriteLine($"wrote the kit's tiny checkpoints and {KitInputs.FileName} into {directory}");
        return 0;
    }
    if (args.Length > 0 && args[0] == "run")
    {
        var options = KitOptions.Parse(args[1..]);
        var results = KitRun.Run(options);
        File.WriteAllText(options.Out, results.ToJsonString(Ints.Indented) + "\n");
        var failed = results["checks"]!.AsArray().Count(c => c!["passed"]?.GetValue<bool>() == false);
        Console.Error.WriteLine($"{options.Out}: {results["checks"]!.AsArray().Count} checks, {failed} failed");
        return failed == 0 ? 0 : 1;
    }
    Console.Error.WriteLine(
        "usage: gpu-kit checkpoints DIR | gpu-kit run --kit DIR --goldens DIR --out FILE [--device auto|cpu|cuda]"
            + " [--bench base|small|none]"
    );
    return 2;
}
catch (Exception error)
{
    // A missing libtorch, or one other than the version TorchSharp was built against (missing symbols), ends here.
    var native = IsNative(error);
    Console.Error.WriteLine($"gpu-kit: {(native ? "libtorch could not be used" : "failed")} ({NativeDetail(error)}).");
    return native ? 3 : 1;
}

static bool IsNative(Exception error)
{
    for (var e = error; e is not null; e = e.InnerException)
        if (
            e is DllNotFoundException or EntryPointNotFoundException
            || e.Message.Contains("libtorch", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("LibTorchSharp", StringComparison.Ordinal)
        )
            return true;
    return false;
}

static string NativeDetail(Exception error)
{
    var messages = new List<string>();
    for (var e = error; e is not null; e = e.InnerException)
        messages.Add($"{e.GetType().Name}: {e.Message.Split('\n')[0].Trim()}");
    return string.Join(" <- ", messages);
}

/// <summary>The run verb's options.</summary>
internal sealed record KitOptions(string Kit, string Goldens, string Out, string Device, string Bench)
{
    public static KitOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
            values[args[i]] = args[i + 1];
        string Required(string name) =>
            values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"{name} is required.");
        var bench = values.GetValueOrDefault("--bench", "base");
        if (bench is not ("base" or "small" or "none"))
            throw new ArgumentException($"--bench {bench}: base, small or none.");
        return new KitOptions(
            Required("--kit"),
            Required("--goldens"),
            Required("--out"),
            values.GetValueOrDefault("--device", "auto"),
            bench
        );
    }

    public ComputeTarget Target(TorchSharp.torch.ScalarType dtype) => ComputeTarget.Resolve(Device, dtype);
}
