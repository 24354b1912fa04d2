using Clinical.Models.Runtime;
using TorchSharp;
using TorchSharp.Modules;

namespace Clinical.Models.Training;

/// <summary>
/// OUT/resume/ (weights, optimizer state, position) and OUT/resume-best/ (the best epoch's weights),
/// each written to a staging folder and swapped in by rename, so a process killed mid-write (Ctrl-C
/// past the host's grace period, a crash, a power cut) leaves the previous complete checkpoint.
/// </summary>
internal static class ResumeCheckpoint
{
    public const string BestFolder = "resume-best";

    public static string Directory(string outDirectory) => Path.Combine(outDirectory, ResumeState.Folder);

    public static string BestDirectory(string outDirectory) => Path.Combine(outDirectory, BestFolder);

    public static void Save(
        string outDirectory,
        ResumeState state,
        torch.nn.Module master,
        OptimizerHelper optimizer
    ) =>
        Swap(
            Directory(outDirectory),
            staging =>
            {
                CheckpointFolder.Save(master, staging);
                optimizer.save_state_dict(Path.Combine(staging, "optimizer.bin"));
                state.SaveTo(staging);
            }
        );

    public static void SaveBest(string outDirectory, torch.nn.Module master) =>
        Swap(BestDirectory(outDirectory), staging => CheckpointFolder.Save(master, staging));

    /// <summary>Puts back a checkpoint left as *.old by a process killed between the two renames of a swap.</summary>
    public static void Recover(string outDirectory)
    {
        foreach (var target in new[] { Directory(outDirectory), BestDirectory(outDirectory) })
        {
            if (!System.IO.Directory.Exists(target) && System.IO.Directory.Exists(target + ".old"))
                System.IO.Directory.Move(target + ".old", target);
        }
    }

    public static void Delete(string outDirectory)
    {
        foreach (var target in new[] { Directory(outDirectory), BestDirectory(outDirectory) })
        {
            foreach (var folder in new[] { target, target + ".staging", target + ".old" })
            {
                if (System.IO.Directory.Exists(folder))
                    System.IO.Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static void Swap(string target, Action<string> write)
    {
        var staging = target + ".staging";
        var old = target + ".old";
        if (System.IO.Directory.Exists(staging))
            System.IO.Directory.Delete(staging, recursive: true);
        System.IO.Directory.CreateDirectory(staging);
        write(staging);
        if (System.IO.Directory.Exists(old))
            System.IO.Directory.Delete(old, recursive: true);
        if (System.IO.Directory.Exists(target))
            System.IO.Directory.Move(target, old);
        System.IO.Directory.Move(staging, target);
        if (System.IO.Directory.Exists(old))
            System.IO.Directory.Delete(old, recursive: true);
    }
}
