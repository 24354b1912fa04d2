using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Clinical.Api.Errors;
using Clinical.Api.Hosting;
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
        bench.Subcommands.Add(Onnx());
        bench.Subcommands.Add(Notes());
        bench.Subcommands.Add(Decoder());
        bench.Subcommands.Add(Cohort());
        return bench;
    }

    private static readonly Dictionary<string, CohortVariant> CohortVariants = new(StringComparer.Ordinal)
    {
        ["notes"] = new("notes (rules + tabular + note model, no summaries)", [], []),
        ["no-notes"] = new("no-notes (rules + tabular)", ["--note-model", RiskEngineLoader.None], []),
        ["summaries"] = new("summaries (note model, summaries for flagged)", [], ["--summaries", "flagged"]),
    };

    private static Command Cohort()
    {
        var patients = new Option<int>("--patients")
        {
            Description = "Patients in the generated cohort.",
            DefaultValueFactory = _ => 100_000,
        };
        var data = new Option<string?>("--data")
        {
            Description = "Folder of the generated cohort, kept between runs (default data/bench-cohort-N).",
            HelpName = "DIR",
        };
        var work = new Option<string?>("--work")
        {
            Description = "Folder for each run's output and database, emptied first (default data/bench-cohort-runs).",
            HelpName = "DIR",
        };
        var variants = new Option<string[]>("--variant")
        {
            Description = "Which runs: notes, no-notes, summaries (default all three, in that order).",
            DefaultValueFactory = _ => ["notes", "no-notes", "summaries"],
            AllowMultipleArgumentsPerToken = true,
        };
        variants.AcceptOnlyFromAmong([.. CohortVariants.Keys]);
        var postgres = new Option<string?>("--postgres")
        {
            HelpName = "CONNECTION",
            Description =
                "PostgreSQL server (a role with CREATEDB): each run stores its results, and with --workers keeps its "
                + "cluster, in new databases there, dropped afterwards (default: a SQLite file).",
        };
        var workers = new Option<int>("--workers")
        {
            Description =
                "Start N `worker` processes on this machine first and run screen-cohort --cluster with them "
                + "(needs --postgres); each process is measured.",
        };
        var command = new Command(
            "cohort",
            "Generate N patients (once), screen them end to end with screen-cohort per variant, and report wall "
                + "time, patients/s, peak RSS and CPU use."
        )
        {
            patients,
            data,
            work,
            variants,
            postgres,
            workers,
        };
        command.SetAction(
            async (result, cancellationToken) =>
            {
                var count = Math.Max(1, result.GetValue(patients));
                var dataFolder = Path.GetFullPath(
                    result.GetValue(data)
                        ?? Path.Combine("data", $"bench-cohort-{count.ToString(CultureInfo.InvariantCulture)}")
                );
                var workFolder = Path.GetFullPath(result.GetValue(work) ?? Path.Combine("data", "bench-cohort-runs"));
                var server = result.GetValue(postgres);
                var workerCount = Math.Max(0, result.GetValue(workers));
                if (workerCount > 0 && server is null)
                {
                    Console.Error.WriteLine(
                        "error: bench cohort --workers needs --postgres CONNECTION (workers share the results "
                            + "database and the cluster)."
                    );
                    return Verbs.InvalidInput;
                }
                var loadBefore = CohortBenchmark.LoadAverage();
                var generate = CohortBenchmark.EnsureCohort(dataFolder, count, Console.Error);
                var runs = new List<CohortRunFigures>();
                foreach (var key in result.GetValue(variants) ?? [])
                {
                    if (Directory.Exists(workFolder))
                        Directory.Delete(workFolder, recursive: true);
                    Directory.CreateDirectory(workFolder);
                    await using var databases = server is null
                        ? null
                        : await BenchDatabases.CreateAsync(server, cancellationToken);
                    string[] results = databases is null ? ["--database", Path.Combine(workFolder, "bench.db")] : [];
                    var run = await CohortBenchmark.RunAsync(
                        CohortVariants[key],
                        [
                            .. Self(),
                            "screen-cohort",
                            dataFolder,
                            "--out",
                            Path.Combine(workFolder, "out"),
                            .. results,
                            "--as-of",
                            "2026-06-30",
                            "--run-id",
                            $"bench-{key}",
                            .. workerCount > 0 ? ["--cluster"] : Array.Empty<string>(),
                        ],
                        Enumerable.Range(0, workerCount).Select(_ => Worker()).ToList(),
                        Environment.CurrentDirectory,
                        databases?.Environment($"bench-{key}-{Guid.NewGuid():N}") ?? [],
                        cancellationToken
                    );
                    Console.Error.WriteLine(CohortBenchmark.Describe(run));
                    runs.Add(run);
                }
                var figures = new CohortBenchmarkResult(
                    count,
                    dataFolder,
                    Math.Round(generate, 1),
                    Environment.ProcessorCount,
                    loadBefore,
                    CohortBenchmark.LoadAverage(),
                    workerCount,
                    server is null ? "sqlite" : "postgres",
                    runs
                );
                Console.WriteLine(JsonSerializer.Serialize(figures, Indented));
                return runs.All(r => r.ExitCode == Verbs.Success) ? Verbs.Success : Verbs.Failure;
            }
        );
        return command;
    }

    /// <summary>A `worker` of this executable on ports of its own (the cluster comes from the environment).</summary>
    private static IReadOnlyList<string> Worker() =>
        [.. Self(), "worker", "--silo-port", BenchDatabases.FreePort(), "--gateway-port", BenchDatabases.FreePort()];

    /// <summary>How to start this executable again: the apphost, or dotnet with this assembly.</summary>
    private static string[] Self()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, typeof(BenchVerb).Assembly.Location]
            : [process];
    }

    private static Command Notes()
    {
        var model = new Option<string>("--model")
        {
            Description = "Note classifier folder (Hugging Face format); with --corpus, only its tokenizer is used.",
            DefaultValueFactory = _ => Path.Combine("fixtures", "models", "hf-note-classifier"),
        };
        var count = new Option<int>("--notes")
        {
            Description = "How many synthetic notes to classify (with --corpus: how many corpus notes, spread evenly).",
            DefaultValueFactory = _ => 10_000,
        };
        var corpus = new Option<string?>("--corpus")
        {
            Description =
                "Labelled notes (JSON Lines, e.g. ../shared/corpus/dev.jsonl): time a base-size encoder (12 x 768) "
                + "on the window lengths of these notes, read at run time, instead of the model on synthetic notes.",
        };
        var padFull = new Option<bool>("--pad-full")
        {
            Description = "With --corpus: pad every window to 512 tokens (what packing windows saves).",
        };
        var batch = new Option<int>("--batch")
        {
            Description = "With --corpus: windows per batch.",
            DefaultValueFactory = _ => 8,
        };
        var device = CommonOptions.Device();
        var dtype = DtypeOption();
        var threads = CpuThreadsOption();
        var command = new Command(
            "notes",
            "Classify synthetic notes and sample resident memory as it goes (it should stay flat); or, with --corpus, "
                + "notes/s of a base-size encoder on a real corpus's note lengths."
        )
        {
            model,
            count,
            corpus,
            padFull,
            batch,
            device,
            dtype,
            threads,
        };
        command.SetAction(result =>
        {
            var folder = result.GetValue(model)!;
            if (!Directory.Exists(folder))
            {
                Console.Error.WriteLine($"error: no model folder at {folder}");
                return Verbs.InvalidInput;
            }
            if (!TryPrecision(result.GetValue(dtype), out var precision))
                return Verbs.InvalidInput;
            CpuThreads.Configure(result.GetValue(threads));
            if (result.GetValue(corpus) is { } corpusFile)
            {
                if (!File.Exists(corpusFile))
                {
                    Console.Error.WriteLine($"error: no corpus file at {corpusFile}");
                    return Verbs.InvalidInput;
                }
                var windows = CorpusWindows.Read(corpusFile, folder, sample: Math.Max(1, result.GetValue(count)));
                var run = EncoderBenchmark.RunCorpus(
                    new EncoderBenchmarkOptions
                    {
                        Device = result.GetValue(device)!,
                        BatchSize = Math.Max(1, result.GetValue(batch)),
                        Iterations = 1,
                        Precision = precision,
                    },
                    windows,
                    result.GetValue(padFull)
                );
                Console.WriteLine(JsonSerializer.Serialize(run, Indented));
                Console.Error.WriteLine(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"{run.Precision}, {run.CpuThreads} threads: {run.Notes} notes, {run.Windows} windows of "
                            + $"{run.MeanWindowTokens:0} tokens on average{(run.PaddedToFull ? " padded to 512" : "")}"
                            + $" in {run.Seconds:0.0} s: {run.NotesPerSecond:0.00} notes/s, "
                            + $"{run.AchievedGflops:0.0} GFLOP/s"
                    )
                );
                return Verbs.Success;
            }
            var figures = NoteClassifierBenchmark.Run(
                folder,
                result.GetValue(device)!,
                Math.Max(1, result.GetValue(count)),
                precision
            );
            Console.WriteLine(JsonSerializer.Serialize(figures, Indented));
            Console.Error.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{figures.Target}: {figures.Notes} notes in {figures.Seconds:0.0} s "
                        + $"({figures.NotesPerSecond:0.0}/s); "
                        + $"resident MB: {string.Join(" → ", figures.Memory.Select(m => m.ResidentMegabytes))}"
                )
            );
            return Verbs.Success;
        });
        return command;
    }

    private static Option<string> DtypeOption() =>
        new("--dtype")
        {
            Description = $"Arithmetic: {PrecisionNames.Accepted} (a CPU without bf16 or int8 dot products runs fp32).",
            DefaultValueFactory = _ => "fp32",
        };

    private static bool TryPrecision(string? text, out Precision precision)
    {
        if (PrecisionNames.TryParse(text, out precision))
            return true;
        Console.Error.WriteLine($"error: unknown --dtype '{text}'; use {PrecisionNames.Accepted}.");
        return false;
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
        var dtype = DtypeOption();
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
            if (!TryPrecision(result.GetValue(dtype), out var precision))
                return Verbs.InvalidInput;
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

    private static Command Onnx()
    {
        var layers = new Option<int>("--layers") { Description = "Encoder layers.", DefaultValueFactory = _ => 12 };
        var hidden = new Option<int>("--hidden")
        {
            Description = "Hidden size, a multiple of 64 (heads of 64, feed-forward 4 x hidden).",
            DefaultValueFactory = _ => 768,
        };
        var tokens = new Option<int>("--tokens")
        {
            Description = "Tokens per window (every window full).",
            DefaultValueFactory = _ => 512,
        };
        var batch = new Option<int>("--batch") { Description = "Windows per batch.", DefaultValueFactory = _ => 8 };
        var rounds = new Option<int>("--rounds")
        {
            Description = "Rounds; each times one batch per engine (medians are reported).",
            DefaultValueFactory = _ => 5,
        };
        var iterations = new Option<int>("--iterations")
        {
            Description = "Batches per engine per round, timed together (more for small shapes).",
            DefaultValueFactory = _ => 1,
        };
        var threads = CpuThreadsOption();
        var command = new Command(
            "onnx",
            "Our encoder in fp32, bf16 and int8 against ONNX Runtime fp32 and int8 (same weights, same batch, same "
                + "threads), in alternating rounds on the CPU: notes/s per engine per round and medians."
        )
        {
            layers,
            hidden,
            tokens,
            batch,
            rounds,
            iterations,
            threads,
        };
        command.SetAction(result =>
        {
            var options = new OnnxPeerOptions
            {
                Layers = Math.Max(1, result.GetValue(layers)),
                Hidden = result.GetValue(hidden),
                SequenceLength = Math.Max(1, result.GetValue(tokens)),
                BatchSize = Math.Max(1, result.GetValue(batch)),
                Rounds = Math.Max(1, result.GetValue(rounds)),
                Iterations = Math.Max(1, result.GetValue(iterations)),
            };
            CpuThreads.Configure(result.GetValue(threads));
            OnnxPeerResult figures;
            try
            {
                figures = OnnxPeerBenchmark.Run(options, line => Console.Error.WriteLine(line));
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return Verbs.InvalidInput;
            }
            Console.WriteLine(JsonSerializer.Serialize(figures, Indented));
            Console.Error.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{figures.Layers} x {figures.Hidden}, {figures.SequenceLength} tokens, batch {figures.BatchSize}, "
                        + $"intra-op threads {figures.CpuThreads}, ONNX Runtime {figures.OnnxRuntime}; medians of "
                        + $"{figures.Rounds} rounds (load {figures.LoadAverageAtStart:0.0} to "
                        + $"{figures.LoadAverageAtEnd:0.0}):"
                )
            );
            foreach (var engine in figures.Engines)
            {
                var note = engine.PrecisionNote is null ? "" : $"  ({engine.PrecisionNote})";
                Console.Error.WriteLine(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"  {engine.Engine, -17} {engine.MedianNotesPerSecond, 8:0.000} notes/s "
                            + $"{engine.MedianGflops, 7:0.0} GFLOP/s  "
                            + $"{engine.RelativeToOnnxRuntimeFp32:0.00} x ORT fp32"
                            + $"  max |logit - ours fp32| {engine.MaxLogitDifferenceFromOursFp32:0.0e0}{note}"
                    )
                );
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
