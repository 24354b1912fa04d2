using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clinical.Api.Cli;
using Clinical.Api.Features.Cohorts.Runs;
using Clinical.Api.Features.Dashboard.Worklist;
using Clinical.Api.Hosting;
using Clinical.Api.Persistence;
using Clinical.Fhir.Output;
using Clinical.Tests;
using Hl7.Fhir.Model;
using Microsoft.EntityFrameworkCore;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Cli;

public sealed class ScreenCohortVerbTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("screen-cohort-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private string Database { get; set; } = "";

    public ScreenCohortVerbTests() => Database = Path.Combine(_work, "clinical.db");

    private async Task<(int Exit, string Stdout, string Stderr)> Run(
        IReadOnlyList<string> inputs,
        string output,
        string? runId = "run-1",
        bool resume = false,
        string? summaries = null,
        bool notes = false,
        TextWriter? stderr = null,
        string[]? settings = null,
        string[]? configuration = null,
        CancellationToken cancellationToken = default
    )
    {
        using var stdout = new StringWriter();
        var errors = stderr ?? new StringWriter();
        var exit = await ScreenCohortVerb.RunAsync(
            new ScreenCohortVerb.CohortRequest(
                inputs,
                output,
                runId,
                resume,
                new DateOnly(2026, 6, 30),
                summaries,
                Database,
                [
                    .. CommonOptions.ToModelArgs(
                        FixtureFiles.PathOf("models", "hf-tabular"),
                        notes ? FixtureFiles.PathOf("models", "hf-note-classifier") : RiskEngineLoader.None
                    ),
                    .. (settings ?? []).Select(s => $"--{CohortRunOptions.Section}:{s}"),
                    .. (configuration ?? []).Select(s => $"--{s}"),
                ]
            ),
            stdout,
            errors,
            cancellationToken,
            terminal: false
        );
        return (exit, stdout.ToString(), errors.ToString() ?? "");
    }

    [Fact]
    public async Task Given_the_fixture_cohort_When_screened_Then_the_files_agree_with_the_manifest_and_summary()
    {
        var output = Path.Combine(_work, "out");

        var (exit, stdout, _) = await Run([FixtureFiles.PathOf("cohort")], output, summaries: "flagged", notes: true);

        Assert.Equal(Verbs.Success, exit);
        Assert.Equal(
            CohortRunFiles.Listed.Order(StringComparer.Ordinal),
            Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal)
        );
        var summary = CohortRunSummary.FromJson(stdout);
        Assert.Equal(
            ("completed", 60, 60, 0),
            (summary.Status, summary.Patients.Read, summary.Patients.Screened, summary.Patients.NotReached)
        );
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, CohortFiles.Manifest)));
        foreach (var entry in manifest.RootElement.GetProperty("output").EnumerateArray())
        {
            var file = entry.GetProperty("type").GetString() + ".ndjson";
            Assert.Equal(CohortRunFiles.Lines(output, file).Length, entry.GetProperty("count").GetInt32());
            Assert.Equal(new Uri(Path.Combine(output, file)).AbsoluteUri, entry.GetProperty("url").GetString());
        }
        var risks = CohortRunFiles
            .Lines(output, CohortFiles.RiskAssessment)
            .Select(FhirJson.Deserialize<RiskAssessment>)
            .ToList();
        var flags = CohortRunFiles.Lines(output, CohortFiles.Flag).Select(FhirJson.Deserialize<Flag>).ToList();
        var documents = CohortRunFiles.Lines(output, CohortFiles.DocumentReference);
        Assert.Equal(60, risks.Count);
        Assert.All(
            risks,
            r => Assert.Contains(r.Meta!.Tag, t => t.System == ProductCodes.CohortRunSystem && t.Code == "run-1")
        );
        Assert.Equal(summary.Patients.Flagged, flags.Count);
        Assert.True(flags.Count > 0);
        Assert.Equal(flags.Count, documents.Length);
        Assert.Equal(risks.Count + documents.Length, CohortRunFiles.Lines(output, CohortFiles.Provenance).Length);
        var csv = CohortRunFiles.Lines(output, CohortFiles.FlaggedCsv);
        Assert.Equal(FlaggedCsv.Header, csv[0]);
        Assert.Equal(
            flags.Select(f => f.Subject.Reference).Order(StringComparer.Ordinal),
            csv.Skip(1).Select(row => row.Split(',')[0]).Order(StringComparer.Ordinal)
        );
        Assert.Equal(60, CohortRunFiles.Count(Database, "SELECT count(*) FROM Screenings WHERE RunId = 'run-1'"));
        Assert.Equal(
            risks.Select(r => r.Subject.Reference).Order(StringComparer.Ordinal),
            CohortRunFiles.StoredRows(Database, "run-1").Select(row => row.Split(" | ")[1])
        );
    }

    [Fact]
    public async Task Given_a_completed_run_When_resumed_Then_nothing_is_screened_again()
    {
        var output = Path.Combine(_work, "out");
        await Run([FixtureFiles.PathOf("cohort")], output);
        var before = CohortRunFiles.Outputs(output);

        var (exit, _, stderr) = await Run([], output, runId: null, resume: true);

        Assert.Equal(Verbs.Success, exit);
        Assert.Contains("nothing to resume", stderr, StringComparison.Ordinal);
        Assert.Equal(before, CohortRunFiles.Outputs(output));
        Assert.Equal(60, CohortRunFiles.Count(Database, "SELECT count(*) FROM Screenings"));
    }

    [Fact]
    public async Task Given_an_output_folder_with_files_When_a_new_run_starts_Then_exit_2_and_the_files_stay()
    {
        var output = Directory.CreateDirectory(Path.Combine(_work, "out")).FullName;
        File.WriteAllText(Path.Combine(output, "notes.txt"), "keep");

        using var stdout = new StringWriter();
        using var errors = new StringWriter();

        var exit = await Verbs.RunAsync(
            ["screen-cohort", FixtureFiles.PathOf("cohort"), "--out", output, "--database", Database],
            stdout,
            errors
        );
        var stderr = errors.ToString();

        Assert.Equal(Verbs.InvalidInput, exit);
        Assert.Contains("--resume", stderr, StringComparison.Ordinal);
        Assert.Equal("keep", File.ReadAllText(Path.Combine(output, "notes.txt")));
    }

    [Fact]
    public async Task Given_bundles_and_a_broken_file_When_screened_Then_the_bundles_are_screened_and_exit_is_2()
    {
        var inputs = Directory.CreateDirectory(Path.Combine(_work, "bundles")).FullName;
        File.Copy(
            FixtureFiles.PathOf("bundles", FixtureFiles.PossibleUndiagnosedHeartFailure),
            Path.Combine(inputs, "a.json")
        );
        File.Copy(FixtureFiles.PathOf("invalid", "truncated.json"), Path.Combine(inputs, "b.json"));
        File.Copy(FixtureFiles.PathOf("bundles", FixtureFiles.NoSuspicion), Path.Combine(inputs, "c.json"));
        var output = Path.Combine(_work, "out");

        var (exit, stdout, _) = await Run([inputs], output);

        Assert.Equal(Verbs.InvalidInput, exit);
        var summary = CohortRunSummary.FromJson(stdout);
        Assert.Equal((2, 2, 1), (summary.Patients.Read, summary.Patients.Screened, summary.InputErrors));
        var outcome = FhirJson.Deserialize<OperationOutcome>(
            Assert.Single(CohortRunFiles.Lines(output, CohortFiles.OperationOutcome))
        );
        Assert.Contains(
            outcome.Issue,
            i =>
                i.Severity == OperationOutcome.IssueSeverity.Fatal
                && i.Diagnostics?.Contains("b.json", StringComparison.Ordinal) == true
        );
    }

    [Fact]
    public async Task Given_an_export_line_that_is_not_UTF8_When_screened_Then_it_is_an_issue_and_the_rest_is_read()
    {
        var cohort = CohortRunFiles.Generate(Path.Combine(_work, "cohort"), patients: 3);
        var line = CohortRunFiles.BreakUtf8(Path.Combine(cohort, "Observation.ndjson"));
        var output = Path.Combine(_work, "out");

        var (exit, stdout, _) = await Run([cohort], output);

        Assert.Equal(Verbs.InvalidInput, exit);
        var summary = CohortRunSummary.FromJson(stdout);
        Assert.Equal((3, 3, 1), (summary.Patients.Read, summary.Patients.Screened, summary.InputErrors));
        var issues = CohortRunFiles
            .Lines(output, CohortFiles.OperationOutcome)
            .SelectMany(line => FhirJson.Deserialize<OperationOutcome>(line).Issue);
        var issue = Assert.Single(issues, i => i.Severity == OperationOutcome.IssueSeverity.Error);
        Assert.Contains("not valid UTF-8", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Contains($"Observation.ndjson line {line}", issue.Expression);
    }

    [Fact]
    public async Task Given_a_run_stopped_after_a_batch_When_resumed_Then_the_outputs_equal_an_uninterrupted_run()
    {
        var cohort = CohortRunFiles.Generate(Path.Combine(_work, "cohort"), patients: 40);
        string[] small = ["BatchSize=4", "ShardBytes=400000", "ProgressSeconds=0"];
        var whole = Path.Combine(_work, "whole");
        await Run([cohort], whole, settings: small);
        var expected = CohortRunFiles.Outputs(whole);
        var expectedRows = CohortRunFiles.StoredRows(Database, "run-1");
        Database = Path.Combine(_work, "stopped.db");

        var stopped = Path.Combine(_work, "stopped");
        using var stop = new CancellationTokenSource();
        var (exit, _, stderr) = await Run(
            [cohort],
            stopped,
            cancellationToken: stop.Token,
            stderr: new StopAfterProgress(stop, lines: 3),
            settings: small
        );
        Assert.Equal(Verbs.Failure, exit);
        var interrupted = CohortRunSummary.FromJson(File.ReadAllText(Path.Combine(stopped, CohortFiles.Summary)));
        Assert.Equal("interrupted", interrupted.Status);
        Assert.True(interrupted.Patients.Done > 0 && interrupted.Patients.NotReached > 0, stderr);
        Assert.Equal(interrupted.Patients.Done, CohortRunFiles.Count(Database, "SELECT count(*) FROM Screenings"));

        var (resumed, _, _) = await Run([], stopped, runId: null, resume: true, settings: small);

        Assert.Equal(Verbs.Success, resumed);
        Assert.Equal(expected, CohortRunFiles.Outputs(stopped));
        Assert.Equal(expectedRows, CohortRunFiles.StoredRows(Database, "run-1"));
    }

    [Fact]
    public async Task Given_two_monthly_runs_When_the_worklist_is_loaded_Then_it_shows_the_latest_runs_flags()
    {
        var cohort = CohortRunFiles.Generate(Path.Combine(_work, "cohort"), patients: 30);
        await Run([cohort], Path.Combine(_work, "first"), runId: "month-1");
        var second = Path.Combine(_work, "second");

        var (exit, stdout, _) = await Run([cohort], second, runId: "month-2");

        Assert.Equal(Verbs.Success, exit);
        var summary = CohortRunSummary.FromJson(stdout);
        Assert.True(summary.Patients.Flagged > 0);
        await using var db = new ClinicalDbContext(
            new DbContextOptionsBuilder<ClinicalDbContext>().UseSqlite($"Data Source={Database}").Options
        );
        var view = await new LoadWorklistHandler(db, TimeProvider.System).Handle(
            new LoadWorklist("data-team", null, new WorklistFilter(Mine: false)),
            CancellationToken.None
        );
        Assert.Equal(summary.Patients.Flagged, view.Total);
        var flags = CohortRunFiles.Lines(second, CohortFiles.Flag).Select(FhirJson.Deserialize<Flag>).ToList();
        var flagIds = flags.Select(f => f.Id!).ToHashSet(StringComparer.Ordinal);
        Assert.All(view.Rows, r => Assert.Contains(r.FlagId, flagIds));
        Assert.All(view.Rows, r => Assert.NotNull(r.PatientName));
        Assert.Equal(
            0,
            CohortRunFiles.Count(Database, "SELECT count(*) FROM Screenings WHERE IsLatest AND RunId = 'month-1'")
        );
        Assert.Equal(
            summary.Patients.Flagged,
            CohortRunFiles.Count(
                Database,
                "SELECT count(*) FROM Screenings WHERE RunId = 'month-2' AND FlagId IS NOT NULL "
                    + "AND ReviewJson IS NOT NULL AND GeneralPractitioner IS NOT NULL"
            )
        );
    }

    private static string NotesBundle(string patient, params (string Id, string Text)[] notes) =>
        DatedNotesBundle(patient, [.. notes.Select(n => (n.Id, n.Text, "2026-05-01T10:00:00Z"))]);

    private static string DatedNotesBundle(string patient, params (string Id, string Text, string Date)[] notes)
    {
        var entries = new JsonArray(
            new JsonObject
            {
                ["resource"] = new JsonObject
                {
                    ["resourceType"] = "Patient",
                    ["id"] = patient,
                    ["gender"] = "female",
                    ["birthDate"] = "1950-02-03",
                },
            }
        );
        foreach (var (id, text, date) in notes)
            entries.Add(
                new JsonObject
                {
                    ["resource"] = new JsonObject
                    {
                        ["resourceType"] = "DocumentReference",
                        ["id"] = id,
                        ["status"] = "current",
                        ["subject"] = new JsonObject { ["reference"] = $"Patient/{patient}" },
                        ["date"] = date,
                        ["content"] = new JsonArray(
                            new JsonObject
                            {
                                ["attachment"] = new JsonObject
                                {
                                    ["contentType"] = "text/plain",
                                    ["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(text)),
                                },
                            }
                        ),
                    },
                }
            );
        return new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "collection",
            ["entry"] = entries,
        }.ToJsonString();
    }

    [Fact]
    public async Task Given_an_English_note_and_notes_over_budget_When_screened_Then_each_patient_is_warned()
    {
        const string spanish = "Refiere disnea de esfuerzo desde hace tres meses y edemas en los tobillos.";
        var inputs = Directory.CreateDirectory(Path.Combine(_work, "bundles")).FullName;
        File.WriteAllText(
            Path.Combine(inputs, "english.json"),
            NotesBundle(
                "english",
                ("en-1", "The patient reports shortness of breath on exertion and swollen ankles for three months."),
                ("es-1", spanish)
            )
        );
        File.WriteAllText(
            Path.Combine(inputs, "many.json"),
            DatedNotesBundle(
                "many",
                ("many-1", spanish, "2026-05-01T10:00:00Z"),
                ("many-2", spanish, "2026-01-15T10:00:00Z"),
                ("many-3", spanish, "2026-04-01T10:00:00Z")
            )
        );
        File.Copy(FixtureFiles.PathOf("bundles", FixtureFiles.NoSuspicion), Path.Combine(inputs, "fit.json"));
        var output = Path.Combine(_work, "out");

        var (exit, stdout, stderr) = await Run([inputs], output, configuration: ["Clinical:Limits:MaxNotes=2"]);

        // Deliberately changed from skipping the patient (reason note-budget, an input error, exit 2): a patient with
        // many notes may be the one at risk, and skipping them lost their labs too. They are screened on the 2 newest
        // notes with a warning, which is not an input error.
        Assert.Equal(Verbs.Success, exit);
        var summary = CohortRunSummary.FromJson(stdout);
        Assert.Equal(
            (3, 3, 0, 0),
            (summary.Patients.Read, summary.Patients.Screened, summary.Patients.Skipped.Total, summary.InputErrors)
        );
        Assert.Equal(1, summary.Patients.NotesTrimmed);
        Assert.Contains("; 1 screened on their newest notes only (note budget", stderr, StringComparison.Ordinal);
        Assert.Contains(
            "\"notesTrimmed\": 1",
            File.ReadAllText(Path.Combine(output, "summary.json")),
            StringComparison.Ordinal
        );
        var risks = CohortRunFiles
            .Lines(output, CohortFiles.RiskAssessment)
            .Select(FhirJson.Deserialize<RiskAssessment>)
            .ToDictionary(r => r.Subject.Reference!);
        Assert.Contains("Patient/english", risks.Keys);
        var basis = risks["Patient/many"].Basis.Select(b => b.Identifier?.Value).OfType<string>().ToList();
        Assert.Contains("DocumentReference/many-1", basis);
        Assert.Contains("DocumentReference/many-3", basis);
        Assert.DoesNotContain("DocumentReference/many-2", basis);
        Assert.Equal(
            1,
            CohortRunFiles.Count(Database, "SELECT count(*) FROM Screenings WHERE PatientReference = 'Patient/many'")
        );
        var issues = CohortRunFiles
            .Lines(output, CohortFiles.OperationOutcome)
            .SelectMany(l => FhirJson.Deserialize<OperationOutcome>(l).Issue)
            .ToList();
        var english = Assert.Single(issues, i => Names(i, "DocumentReference/en-1:"));
        Assert.Equal(OperationOutcome.IssueSeverity.Warning, english.Severity);
        Assert.Contains("'en'", english.Diagnostics, StringComparison.Ordinal);
        Assert.DoesNotContain(issues, i => Names(i, "DocumentReference/es-1"));
        var trimmed = Assert.Single(issues, i => Names(i, "Patient/many:"));
        Assert.Equal(OperationOutcome.IssueSeverity.Warning, trimmed.Severity);
        Assert.Contains("1 of 3 notes (", trimmed.Diagnostics, StringComparison.Ordinal);
        Assert.Contains("(Clinical:Limits:MaxNotes = 2)", trimmed.Diagnostics, StringComparison.Ordinal);
    }

    private static bool Names(OperationOutcome.IssueComponent issue, string text) =>
        issue.Diagnostics?.Contains(text, StringComparison.Ordinal) == true;

    /// <summary>Stands for Ctrl-C: cancels the run once it has reported a few committed batches.</summary>
    private sealed class StopAfterProgress(CancellationTokenSource stop, int lines) : StringWriter
    {
        private int _seen;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains(" patients · ", StringComparison.Ordinal) == true && ++_seen == lines)
                stop.Cancel();
        }
    }
}
