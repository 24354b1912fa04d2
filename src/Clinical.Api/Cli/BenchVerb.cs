using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Clinical.Api.Errors;
using Clinical.DevTools.Benchmarks;
using Clinical.Fhir.Parsing;
using Clinical.Models.Runtime;

namespace Clinical.Api.Cli;

/// <summary>
/// `bench`: speed and memory figures, measured on this machine (targets live here, never in timed tests).
/// </summary>
internal static class BenchVerb
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var bench = new Command("bench", "Measure throughput on this machine and print JSON.");
        bench.Subcommands.Add(Fhir());
        bench.Subcommands.Add(Encoder());
        bench.Subcommands.Add(Notes());
        bench.Subcommands.Add(Decoder());
        return bench;
    }

    private static Command Notes()
    {
        var model = new Option<string>("--model")
        {
            Description = "Note classifier folder (Hugging Face format).",
            DefaultValueFactory = _ => Path.Combine("fixtures", "models", "hf-note-classifier"),
        };
        var count = new Option<int>("--notes")
        {
            Description = "How many synthetic notes to classify.",
            DefaultValueFactory = _ => 10_000,
        };
        var device = CommonOptions.Device();
        var command = new Command(
            "notes",
            "Classify synthetic notes and sample resident memory as it goes (it should stay flat)."
        )
        {
            model,
            count,
            device,
        };
        command.SetAction(result =>
        {
            var folder = result.GetValue(model)!;
            if (!Directory.Exists(folder))
            {
                Console.Error.WriteLine($"error: no model folder at {folder}");
                return Verbs.InvalidInput;
            }
            var figures = NoteClassifierBenchmark.Run(
                folder,
                result.GetValue(device)!,
                Math.Max(1, result.GetValue(count))
            );
            Console.WriteLine(JsonSerializer.Serialize(figures, Indented));
            Console.Error.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{figures.Notes} notes in {figures.Seconds:0.0} s ({figures.NotesPerSecond:0.0}/s); "
                        + $"resident MB: {string.Join(" → ", figures.Memory.Select(m => m.ResidentMegabytes))}"
                )
            );
            return Verbs.Success;
        });
        return command;
    }

    private static Command Encoder()
    {
        var batches = new Option<int[]>("--batch")
        {
            Description = "Batch sizes to time (512-token windows).",
            DefaultValueFactory = _ => [8, 16, 32],
            AllowMultipleArgumentsPerToken = true,
        };
        var device = CommonOptions.Device();
        var iterations = new Option<int>("--iterations")
        {
            Description = "Timed batches per size (best is reported).",
            DefaultValueFactory = _ => 2,
        };
        var dtype = new Option<string>("--dtype")
        {
            Description = $"Arithmetic: {PrecisionNames.Accepted} (a CPU without bf16 or int8 dot products runs fp32).",
            DefaultValueFactory = _ => "fp32",
        };
        var threads = CpuThreadsOption();
        var command = new Command(
            "encoder",
            "Base-size RoBERTa (12 x 768) notes/s and GFLOP/s against this machine's measured matmul ceiling "
                + "for the same arithmetic."
        )
        {
            batches,
            device,
            iterations,
            dtype,
            threads,
        };
        command.SetAction(result =>
        {
            if (!PrecisionNames.TryParse(result.GetValue(dtype), out var precision))
            {
                Console.Error.WriteLine(
                    $"error: unknown --dtype '{result.GetValue(dtype)}'; use {PrecisionNames.Accepted}."
                );
                return Verbs.InvalidInput;
            }
            CpuThreads.Configure(result.GetValue(threads));
            foreach (var batch in result.GetValue(batches) ?? [8])
            {
                var figures = EncoderBenchmark.Run(
                    new EncoderBenchmarkOptions
                    {
                        Device = result.GetValue(device)!,
                        BatchSize = batch,
                        Iterations = Math.Max(1, result.GetValue(iterations)),
                        Precision = precision,
                    }
                );
                Console.WriteLine(JsonSerializer.Serialize(figures, Indented));
                Console.Error.WriteLine(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"{figures.Precision}, {figures.CpuThreads} threads, batch {batch}: "
                            + $"{figures.NotesPerSecond:0.00} notes/s, {figures.AchievedGflops:0.0} GFLOP/s "
                            + $"of a {figures.CeilingGflops:0.0} GFLOP/s ceiling ({figures.FractionOfCeiling:P0})"
                    )
                );
                if (figures.PrecisionNote is { } note)
                    Console.Error.WriteLine(note);
            }
            return Verbs.Success;
        });
        return command;
    }

    private static Option<int?> CpuThreadsOption() =>
        new("--cpu-threads")
        {
            Description = "libtorch intra-op threads (default: the cores other work leaves free, at least one).",
        };

    private static Command Fhir()
    {
        var input = new Argument<string>("input") { Description = "A FHIR Bundle file or a Bulk Data export folder." };
        var repeats = new Option<int>("--repeats")
        {
            Description = "Timed runs after one warm-up run.",
            DefaultValueFactory = _ => 5,
        };
        var command = new Command("fhir", "Parse + extract throughput (MB/s) for a Bundle or a bulk export.")
        {
            input,
            repeats,
        };
        command.SetAction(result =>
        {
            var path = result.GetValue(input)!;
            var issues = new List<InputIssue>();
            var inputs = FhirInputs.Enumerate([path], issues).Take(2).ToList();
            if (inputs.Count != 1 || issues.Count > 0)
            {
                Console.Error.WriteLine(
                    issues.Count > 0
                        ? $"error: {CommandLineErrors.Describe(issues)}"
                        : $"error: bench fhir measures one Bundle file or one bulk export; {path} is neither."
                );
                return Verbs.InvalidInput;
            }
            var figures = FhirIngestBenchmark.Run(
                inputs[0].Path,
                Math.Max(1, result.GetValue(repeats)),
                DateOnly.FromDateTime(DateTime.UtcNow)
            );
            Console.WriteLine(JsonSerializer.Serialize(figures, Indented));
            Console.Error.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{figures.Bytes / 1e6:0.00} MB, {figures.Resources} resources, {figures.Patients} patients: "
                        + $"median {figures.MedianMs:0.0} ms, {figures.MegabytesPerSecond:0.0} MB/s"
                )
            );
            return Verbs.Success;
        });
        return command;
    }

    private static Command Decoder()
    {
        var promptTokens = new Option<int>("--prompt-tokens")
        {
            Description = "Prompt length for the prefill.",
            DefaultValueFactory = _ => 64,
        };
        var newTokens = new Option<int>("--new-tokens")
        {
            Description = "Greedy decode steps.",
            DefaultValueFactory = _ => 32,
        };
        var threads = new Option<int?>("--cpu-threads")
        {
            Description = "libtorch intra-op threads for the CPU runs (default: libtorch's).",
        };
        var cpuOnly = new Option<bool>("--cpu-only")
        {
            Description = "Skip the GPU run (Salamandra-2B configuration, bf16) even where a GPU is present.",
        };
        var command = new Command(
            "decoder",
            "Prefill and decode tokens/s of random Llama models: tiny and mid-size on CPU, "
                + "Salamandra-2B's configuration on a GPU."
        )
        {
            promptTokens,
            newTokens,
            threads,
            cpuOnly,
        };
        command.SetAction(result =>
        {
            var figures = DecoderBenchmark.Run(
                new DecoderBenchmarkOptions
                {
                    PromptTokens = Math.Max(1, result.GetValue(promptTokens)),
                    NewTokens = Math.Max(2, result.GetValue(newTokens)),
                    CpuThreads = result.GetValue(threads),
                    IncludeGpu = !result.GetValue(cpuOnly),
                }
            );
            Console.WriteLine(JsonSerializer.Serialize(figures, Indented));
            foreach (var run in figures.Runs)
                Console.Error.WriteLine(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"{run.Model} ({run.Target}, {run.Parameters / 1e6:0.0}M params): "
                            + $"prefill {run.PrefillTokensPerSecond:0} tok/s, "
                            + $"decode {run.DecodeTokensPerSecond:0.0} tok/s "
                            + $"({run.FractionOfBound:P0} of the bandwidth bound)"
                    )
                );
            return Verbs.Success;
        });
        return command;
    }
}
