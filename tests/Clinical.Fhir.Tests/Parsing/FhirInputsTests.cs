using Clinical.Fhir.Parsing;

namespace Clinical.Fhir.Tests.Parsing;

public sealed class FhirInputsTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("fhir-inputs-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private string Write(params string[] parts)
    {
        var path = Path.Combine([_work, .. parts]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "{}");
        return path;
    }

    [Fact]
    public void Given_a_file_a_folder_a_bulk_export_and_a_missing_path_Then_each_becomes_inputs_or_one_issue()
    {
        var single = Write("single.json");
        var b = Write("bundles", "b.json");
        var a = Write("bundles", "nested", "a.json");
        Write("bundles", "notes.txt");
        Write("export", "Patient.ndjson");
        var missing = Path.Combine(_work, "missing");
        var issues = new List<InputIssue>();

        var inputs = FhirInputs
            .Enumerate([single, Path.Combine(_work, "bundles"), missing, Path.Combine(_work, "export")], issues)
            .ToList();

        Assert.Equal(
            [
                new FhirInput(single, false),
                new FhirInput(b, false),
                new FhirInput(a, false),
                new FhirInput(Path.Combine(_work, "export"), true),
            ],
            inputs
        );
        var issue = Assert.Single(issues);
        Assert.Equal(("not-found", "path", missing), (issue.Code, issue.Location, issue.Source));
    }
}
