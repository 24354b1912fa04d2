using System.Text.Json;
using System.Text.RegularExpressions;

namespace Clinical.Api.Features.Cohorts.BulkExport;

/// <summary>
/// The local side of an export: the folder it fills. One process at a time writes to it (a lock file); it must be
/// empty or hold this same export to resume; the manifest's files get the names the cohort job's reader expects; and
/// what a finished export left there is summed up.
/// </summary>
public static partial class ExportFolder
{
    /// <summary>
    /// Local names in the reader's layout: `Type.000.ndjson` (numbered per type in manifest order) for output,
    /// the same under error/ and deleted/ (as SMART's bulk-data-client lays them out). A type that is not a plain
    /// resource type name is refused: it becomes a file name. Every URL is checked before anything is fetched.
    /// </summary>
    public static List<ExportFileState> LocalFiles(ExportManifest manifest, ExportUrlPolicy policy)
    {
        var files = new List<ExportFileState>();
        foreach (
            var (kind, entries) in new[]
            {
                ("output", manifest.Output),
                ("error", manifest.Error),
                ("deleted", manifest.Deleted),
            }
        )
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                if (!ResourceTypeName().IsMatch(entry.Type))
                    throw new BulkExportException(
                        $"The manifest names a file of type '{entry.Type}', not a resource type."
                    );
                policy.Check(entry.Url, $"the {kind} file");
                var index = counts[entry.Type] = counts.GetValueOrDefault(entry.Type) + 1;
                var name = $"{entry.Type}.{index - 1:D3}.ndjson";
                files.Add(
                    new ExportFileState
                    {
                        Kind = kind,
                        Type = entry.Type,
                        Url = entry.Url.AbsoluteUri,
                        Path = kind == "output" ? name : $"{kind}/{name}",
                        Count = entry.Count,
                    }
                );
            }
        }
        return files;
    }

    /// <summary>The folder's state when it holds this same export; a folder of anything else is refused.</summary>
    public static ExportState? Resume(string folder, Uri kickOffUrl)
    {
        var state = ExportState.Load(folder);
        if (state is null)
        {
            var others = Directory.EnumerateFileSystemEntries(folder).Where(p => !IsOurs(p)).Take(1).ToList();
            if (others.Count > 0)
                throw new ArgumentException(
                    $"{folder} is not empty and holds no export to resume ({Path.GetFileName(others[0])}); "
                        + "export into a new or empty folder."
                );
            return null;
        }
        if (state.KickOffUrl != kickOffUrl.AbsoluteUri)
            throw new ArgumentException(
                $"{folder} holds another export ({state.KickOffUrl}); export into a new or empty folder."
            );
        return state;
    }

    private static bool IsOurs(string path) =>
        Path.GetFileName(path) is ExportLog.FileName or LockFileName || path.EndsWith(".tmp", StringComparison.Ordinal);

    private const string LockFileName = ".export.lock";

    public static FileStream Lock(string folder)
    {
        try
        {
            return new FileStream(
                Path.Combine(folder, LockFileName),
                FileMode.OpenOrCreate,
                FileAccess.ReadWrite,
                FileShare.None,
                1,
                FileOptions.DeleteOnClose
            );
        }
        catch (IOException)
        {
            throw new ArgumentException($"Another export is writing to {folder}.");
        }
    }

    public static BulkExportResult Result(string folder, ExportState state, bool resumed)
    {
        var output = state.Files.Where(f => f.Kind == "output").ToList();
        var errors = state.Files.Where(f => f.Kind == "error").ToList();
        return new BulkExportResult(
            folder,
            state.TransactionTime ?? "",
            output.Count,
            output.Sum(f => f.Lines ?? 0),
            state.Files.Sum(f => f.Bytes),
            errors.Count,
            ServerErrors(folder, errors),
            resumed
        );
    }

    /// <summary>
    /// The error and fatal issues of the EHR's error files (OperationOutcome NDJSON), distinct, at most 20.
    /// </summary>
    private static List<string> ServerErrors(string folder, IEnumerable<ExportFileState> errorFiles)
    {
        var messages = new List<string>();
        foreach (var file in errorFiles)
        foreach (var line in File.ReadLines(Path.Combine(folder, file.Path)).Where(l => l.Length > 0))
        {
            try
            {
                using var outcome = JsonDocument.Parse(line);
                if (!outcome.RootElement.TryGetProperty("issue", out var issues))
                    continue;
                foreach (var issue in issues.EnumerateArray())
                {
                    var severity = issue.TryGetProperty("severity", out var s) ? s.GetString() : null;
                    if (severity is "error" or "fatal" && issue.TryGetProperty("diagnostics", out var d))
                        messages.Add(d.GetString() ?? "");
                }
            }
            catch (JsonException)
            {
                messages.Add($"{file.Path}: a line that is not JSON");
            }
        }
        return messages.Where(m => m.Length > 0).Distinct(StringComparer.Ordinal).Take(20).ToList();
    }

    [GeneratedRegex("^[A-Z][A-Za-z]{1,63}$")]
    private static partial Regex ResourceTypeName();
}
