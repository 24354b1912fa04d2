using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Clinical.Api.Cli;
using Clinical.Api.Errors;
using Clinical.Fhir.Output;
using Clinical.Fhir.Parsing;
using Clinical.Models.Runtime;
using Clinical.Models.Training;
using Clinical.Tests;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Errors;

public sealed class FailureTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("failure-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    public static TheoryData<string, int, int> Exceptions =>
        new()
        {
            { nameof(FhirInputException), 400, Verbs.InvalidInput },
            { nameof(FluentValidation.ValidationException), 400, Verbs.InvalidInput },
            { nameof(LabelledNotesException), 422, Verbs.InvalidInput },
            { nameof(ArgumentOutOfRangeException), 400, Verbs.InvalidInput },
            { nameof(System.Text.Json.JsonException), 400, Verbs.InvalidInput },
            { nameof(NotFoundException), 404, Verbs.InvalidInput },
            { nameof(UnsupportedMediaException), 415, Verbs.InvalidInput },
            { nameof(CheckpointException), 500, Verbs.Failure },
            { nameof(DirectoryNotFoundException), 500, Verbs.Failure },
            { nameof(ArgumentNullException), 500, Verbs.Failure },
            { nameof(InvalidOperationException), 500, Verbs.Failure },
            { nameof(OperationCanceledException), Failure.ClientClosedRequest, Verbs.Failure },
        };

    private static Exception Make(string name) =>
        name switch
        {
            nameof(FhirInputException) => new FhirInputException([
                new InputIssue(IssueSeverity.Fatal, "structure", "not JSON", Line: 1, Column: 3, Source: "a.json"),
            ]),
            nameof(FluentValidation.ValidationException) => new FluentValidation.ValidationException([
                new FluentValidation.Results.ValidationFailure("Model", "--model m: no such folder."),
            ]),
            nameof(LabelledNotesException) => new LabelledNotesException("notes.jsonl:3: \"label\" must be 0 or 1."),
            nameof(ArgumentOutOfRangeException) => LearningRateOutOfRange(),
            nameof(System.Text.Json.JsonException) => new System.Text.Json.JsonException("Unexpected end."),
            nameof(NotFoundException) => new NotFoundException("No such card."),
            nameof(UnsupportedMediaException) => new UnsupportedMediaException("text/plain"),
            nameof(CheckpointException) => new CheckpointException("model.safetensors lacks a key."),
            nameof(DirectoryNotFoundException) => new DirectoryNotFoundException("Clinical:NoteModel names 'x'."),
            nameof(ArgumentNullException) => new ArgumentNullException(nameof(name)),
            nameof(InvalidOperationException) => new InvalidOperationException("Sequence contains no elements"),
            nameof(OperationCanceledException) => new OperationCanceledException(),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void Given_an_exception_Then_HTTP_and_the_command_line_class_it_alike(string type, int status, int exit)
    {
        var exception = Make(type);

        var failure = Failure.Of(exception);
        var line = CommandLineErrors.Line(failure, exception);

        Assert.Equal(status, failure.Status);
        Assert.Equal(exit, CommandLineErrors.ExitCode(failure.Class));
        Assert.Equal(status is >= 400 and < 499, failure.Class == FailureClass.BadInput);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public void Given_an_option_out_of_range_Then_the_line_names_the_option_without_the_runtime_suffixes()
    {
        var exception = LearningRateOutOfRange();

        Assert.Equal(
            "error: --lr: The learning rate must lie in (0, 1].",
            CommandLineErrors.Line(Failure.Of(exception), exception)
        );
    }

    [Fact]
    public async Task Given_a_truncated_bundle_When_screened_by_CLI_and_HTTP_Then_both_refuse_it_as_bad_input()
    {
        var file = FixtureFiles.PathOf("invalid", "truncated.json");

        var cli = await Cli("screen", file, "--as-of", "2026-06-30", "--database", Database());
        using var factory = new ClinicalApiFactory();
        using var http = await Screen(factory, File.ReadAllText(file), "?asOf=2026-06-30");

        Assert.Equal(Verbs.InvalidInput, cli.Exit);
        Assert.Equal(HttpStatusCode.BadRequest, http.StatusCode);
        var outcome = FhirJson.Deserialize<OperationOutcome>(await http.Content.ReadAsStringAsync());
        Assert.Equal(OperationOutcome.IssueSeverity.Fatal, Assert.Single(outcome.Issue).Severity);
    }

    [Fact]
    public async Task Given_an_as_of_in_the_future_When_screened_by_CLI_and_HTTP_Then_both_refuse_it_as_bad_input()
    {
        var bundle = FixtureFiles.PathOf("bundles", FixtureFiles.NoSuspicion);

        var cli = await Cli("screen", bundle, "--as-of", "2999-01-01", "--database", Database());
        using var factory = new ClinicalApiFactory();
        using var http = await Screen(factory, File.ReadAllText(bundle), "?asOf=2999-01-01");

        Assert.Equal(Verbs.InvalidInput, cli.Exit);
        Assert.Contains("asOf 2999-01-01 is in the future", Assert.Single(cli.Stderr), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, http.StatusCode);
    }

    [Fact]
    public async Task Given_a_wrong_model_folder_setting_When_screening_by_CLI_and_HTTP_Then_both_fail_as_unexpected()
    {
        var bundle = FixtureFiles.PathOf("bundles", FixtureFiles.NoSuspicion);
        var missing = Path.Combine(_work, "no-such-model");

        var cli = await Cli("screen", bundle, "--tabular-model", missing, "--database", Database());
        using var factory = new ClinicalApiFactory
        {
            Settings = new Dictionary<string, string?> { ["Clinical:TabularModel"] = missing },
        };
        using var http = await Screen(factory, File.ReadAllText(bundle), "");

        Assert.Equal(Verbs.Failure, cli.Exit);
        var line = Assert.Single(cli.Stderr);
        Assert.Equal($"error: Clinical:TabularModel names '{missing}', which is not a folder.", line);
        Assert.Equal(HttpStatusCode.InternalServerError, http.StatusCode);
        var body = await http.Content.ReadAsStringAsync();
        Assert.DoesNotContain(missing, body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    /// <summary>What the training options say of --lr 2 (the runtime appends the parameter and the value).</summary>
    private static ArgumentOutOfRangeException LearningRateOutOfRange() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FineTuneOptions { LearningRate = 2 }.Validate());

    private string Database() => Path.Combine(_work, "clinical.db");

    private static async Task<(int Exit, string[] Stderr)> Cli(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await Verbs.RunAsync(args, stdout, stderr);
        return (exit, stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static async Task<HttpResponseMessage> Screen(ClinicalApiFactory factory, string json, string query)
    {
        using var client = factory.CreateFhirClient();
        return await client.PostAsync(
            new Uri($"/fhir/Bundle/$hf-screen{query}", UriKind.Relative),
            new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/fhir+json"))
        );
    }
}
