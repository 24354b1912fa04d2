using Clinical.Models.Runtime;
using Clinical.Models.Training;

namespace Clinical.Api.Features.Training;

/// <summary>
/// Labelled notes from either note-level JSON Lines or a FHIR folder (bundles or Bulk NDJSON, weak labels).
/// </summary>
public sealed class TrainingInputs(WeakLabels weakLabels)
{
    /// <summary>Several sources joined by commas ("real.jsonl,cohort/bundles"), read in order.</summary>
    public static IReadOnlyList<string> Sources(string paths) =>
        paths.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public (IReadOnlyList<LabelledNote> Notes, string Description, bool Synthetic) LoadAll(
        string paths,
        int gapDays,
        CancellationToken cancellationToken
    )
    {
        var parts = Sources(paths).Select(p => Load(p, gapDays, cancellationToken)).ToList();
        return (
            parts.SelectMany(p => p.Notes).ToList(),
            string.Join(" + ", parts.Select(p => p.Description)),
            parts.Exists(p => p.Synthetic)
        );
    }

    public (IReadOnlyList<LabelledNote> Notes, string Description, bool Synthetic) Load(
        string path,
        int gapDays,
        CancellationToken cancellationToken
    )
    {
        if (WeakLabels.IsFhir(path))
        {
            var set = weakLabels.FromFolder(path, gapDays, cancellationToken);
            return (set.Notes, set.Describe(path), IsSyntheticCohort(path));
        }
        var notes = LabelledNotes.Read(path).ToList();
        return (notes, $"{Path.GetFileName(path)}: {notes.Count} labelled notes (JSON Lines)", false);
    }

    /// <summary>
    /// The product's generator leaves truth.ndjson in a synthetic cohort's folder (beside bundles/ or the NDJSON
    /// files).
    /// </summary>
    public static bool IsSyntheticCohort(string folder) =>
        new[] { folder, Path.GetDirectoryName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar)) }.Any(f =>
            f is not null && File.Exists(Path.Combine(f, "truth.ndjson"))
        );

    /// <summary>
    /// The compute target for --device; a GPU asked for but absent is bad input (exit 2), not a crash.
    /// </summary>
    public static ComputeTarget Device(string preference)
    {
        try
        {
            return ComputeTarget.Resolve(preference);
        }
        catch (InvalidOperationException unavailable)
        {
            throw new ArgumentException($"--device: {unavailable.Message}", unavailable);
        }
    }
}
