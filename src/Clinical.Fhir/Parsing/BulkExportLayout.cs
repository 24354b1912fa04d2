using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace Clinical.Fhir.Parsing;

/// <summary>One NDJSON file of a Bulk Data export: one resource type, one resource per line.</summary>
public sealed record BulkFile(string Path, string ResourceType, long Bytes);

/// <summary>
/// The files of a FHIR Bulk Data $export folder: `Type.ndjson` or `Type.NNN.ndjson` per resource type.
/// Anything else (the export's log.ndjson, manifest.json, other files) is recognised and skipped with a note.
/// </summary>
public sealed partial record BulkExportLayout(
    string Folder,
    IReadOnlyList<BulkFile> Files,
    IReadOnlyList<InputIssue> Notes
)
{
    public static bool LooksLikeBulkExport(string folder) =>
        Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*.ndjson").Any();

    public static BulkExportLayout Discover(string folder)
    {
        var files = new List<BulkFile>();
        var notes = new List<InputIssue>();
        foreach (var path in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            var name = System.IO.Path.GetFileName(path);
            var match = ResourceFileName().Match(name);
            if (match.Success && ModelInfo.IsKnownResource(match.Groups["type"].Value))
            {
                files.Add(new BulkFile(path, match.Groups["type"].Value, new FileInfo(path).Length));
                continue;
            }
            var reason = name switch
            {
                "log.ndjson" => "an export log (OperationOutcome-style progress lines), not patient resources",
                "manifest.json" => "the Bulk Data manifest; the resource files were read from the folder itself",
                _ when name.EndsWith(".ndjson", StringComparison.Ordinal) =>
                    "not named after a FHIR resource type (expected Type.ndjson or Type.000.ndjson)",
                _ => "not an NDJSON resource file",
            };
            notes.Add(
                new InputIssue(IssueSeverity.Information, "informational", $"Skipped {name}: {reason}.", Source: path)
            );
        }
        return new BulkExportLayout(folder, files, notes);
    }

    [GeneratedRegex(@"^(?<type>[A-Z][A-Za-z]+)(\.\d+)?\.ndjson$")]
    private static partial Regex ResourceFileName();
}
