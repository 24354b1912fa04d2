namespace Clinical.Fhir.Parsing;

/// <summary>One FHIR input on disk: a JSON file (a Bundle or a single resource) or a Bulk Data export folder.</summary>
public sealed record FhirInput(string Path, bool IsBulkExport);

/// <summary>
/// The one way paths become FHIR inputs (the screen and summarize verbs, FHIR weak labels): a file as given; a folder
/// with NDJSON files as one Bulk Data export (<see cref="BulkExportLayout"/>); any other folder as its *.json files,
/// recursively, in ordinal order so every platform reads them in the same order. A path that is neither is an error
/// issue located at "path", and the other paths are still enumerated.
/// </summary>
public static class FhirInputs
{
    public static IEnumerable<FhirInput> Enumerate(IEnumerable<string> paths, ICollection<InputIssue> issues)
    {
        foreach (var path in paths)
        {
            if (BulkExportLayout.LooksLikeBulkExport(path))
            {
                yield return new FhirInput(path, IsBulkExport: true);
            }
            else if (Directory.Exists(path))
            {
                foreach (
                    var file in Directory
                        .EnumerateFiles(path, "*.json", SearchOption.AllDirectories)
                        .Order(StringComparer.Ordinal)
                )
                    yield return new FhirInput(file, IsBulkExport: false);
            }
            else if (File.Exists(path))
            {
                yield return new FhirInput(path, IsBulkExport: false);
            }
            else
            {
                issues.Add(NotFound(path));
            }
        }
    }

    private static InputIssue NotFound(string path) =>
        new(IssueSeverity.Error, "not-found", $"No such file or folder: {path}", "path", Source: path);
}
