using System.Globalization;

namespace Clinical.Fuzz;

// The fuzzing command line (see README.md):
// clinical-fuzz list                               the targets
// clinical-fuzz random TARGET [SECONDS] [SEED]     in-process generation (default 60 s, seed 1); exit 1 on a failure
// clinical-fuzz seeds TARGET FOLDER                writes the target's seeds, the AFL input corpus
// clinical-fuzz afl TARGET                         one AFL++ execution loop (SharpFuzz); see README.md
// clinical-fuzz replay TARGET FILE                 runs one input (a crash AFL found), showing what it throws
public static class FuzzProgram
{
    public static int Main(string[] args) =>
        args switch
        {
            ["list"] => List(),
            ["random", var name, .. var rest] => Random(
                Target(name),
                rest.Length > 0 ? double.Parse(rest[0], CultureInfo.InvariantCulture) : 60,
                rest.Length > 1 ? int.Parse(rest[1], CultureInfo.InvariantCulture) : 1
            ),
            ["seeds", var name, var folder] => Seeds(Target(name), folder),
            ["afl", var name] => Afl(name),
            ["replay", var name, var file] => Replay(Target(name), file),
            _ => Usage(),
        };

    private static FuzzTarget Target(string name) =>
        FuzzTargets.Find(name)
        ?? throw new ArgumentException(
            $"No fuzz target '{name}'; there are: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}."
        );

    private static int List()
    {
        foreach (var target in FuzzTargets.All)
            Console.WriteLine($"{target.Name}\t{target.Description}");
        return 0;
    }

    private static int Random(FuzzTarget target, double seconds, int seed)
    {
        var report = FuzzRunner.Run(target, TimeSpan.FromSeconds(seconds), seed);
        Console.WriteLine(
            $"{report.Target}: {report.Executions:N0} inputs in {report.Elapsed.TotalSeconds:0.0} s (seed {seed}), "
                + (report.Failure is null ? "no failure" : $"FAILURE\n{report.Failure}")
        );
        return report.Failure is null ? 0 : 1;
    }

    private static int Seeds(FuzzTarget target, string folder)
    {
        Directory.CreateDirectory(folder);
        for (var i = 0; i < target.Seeds.Count; i++)
            File.WriteAllBytes(Path.Combine(folder, $"seed-{i:D3}"), target.Seeds[i]);
        Console.WriteLine($"{target.Seeds.Count} seeds written to {folder}");
        return 0;
    }

    /// <summary>
    /// The AFL++ loop. Instrumented code may run only inside it (SharpFuzz's coverage map is set up there), so the
    /// target, whose statics touch instrumented assemblies, is looked up on the first input.
    /// </summary>
    private static int Afl(string name)
    {
        FuzzTarget? target = null;
        SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
        {
            target ??= Target(name);
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            target.Run(bytes.ToArray());
        });
        return 0;
    }

    private static int Replay(FuzzTarget target, string file)
    {
        target.Run(File.ReadAllBytes(file));
        Console.WriteLine("no failure");
        return 0;
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: clinical-fuzz list | random TARGET [SECONDS] [SEED] | seeds TARGET FOLDER");
        Console.Error.WriteLine("       | afl TARGET | replay TARGET FILE");
        return 2;
    }
}
