using System.CommandLine;
using System.Globalization;
using Clinical.Api.Errors;
using Clinical.Api.Features.Screening;
using Clinical.Fhir.Output;
using Clinical.Fhir.Parsing;
using Mediator;

namespace Clinical.Api.Cli;

/// <summary>
/// `screen PATH...`: screens FHIR files or folders of them and writes one collection Bundle to stdout.
/// A bad file is reported (OperationOutcome entry, one stderr line) and the others are still screened.
/// Exit 0 when every input was accepted (an input with nobody to screen is a warning), 2 when any was invalid.
/// </summary>
internal static class ScreenVerb
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description =
                "FHIR R4 JSON files (a Bundle or a single resource), folders of them (*.json, recursively), or Bulk Data export folders (Type.ndjson files).",
            Arity = ArgumentArity.OneOrMore,
        };
        var asOf = new Option<string?>("--as-of")
        {
            Description = "Screen the record as it stood on this date (YYYY-MM-DD). Default: today.",
        };
        var database = CommonOptions.Database();
        var tabularModel = CommonOptions.TabularModel();
        var noteModel = CommonOptions.NoteModel();
        var command = new Command(
            "screen",
            "Screen patients in FHIR Bundles for possible undiagnosed heart failure; prints a FHIR Bundle."
        )
        {
            paths,
            asOf,
            database,
            tabularModel,
            noteModel,
        };
        command.SetAction(
            (result, cancellationToken) =>
                RunAsync(
                    result.GetValue(paths) ?? [],
                    result.GetValue(asOf),
                    result.GetValue(database),
                    Console.Out,
                    Console.Error,
                    cancellationToken,
                    CommonOptions.ToModelArgs(result.GetValue(tabularModel), result.GetValue(noteModel))
                )
        );
        return command;
    }

    public static async Task<int> RunAsync(
        string[] paths,
        string? asOfText,
        string? database,
        TextWriter stdout,
        TextWriter stderr,
        CancellationToken cancellationToken,
        IReadOnlyList<string>? modelArgs = null
    )
    {
        DateOnly? asOf = null;
        if (asOfText is not null)
        {
            if (
                !DateOnly.TryParseExact(
                    asOfText,
                    "yyyy-MM-dd",
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.None,
                    out var parsed
                )
            )
            {
                await stderr.WriteLineAsync($"error: --as-of '{asOfText}' is not a date (YYYY-MM-DD).");
                return Verbs.InvalidInput;
            }
            asOf = parsed;
        }

        using var host = await VerbHost.StartAsync(
            [.. CommonOptions.ToConfigurationArgs(database), .. modelArgs ?? []],
            cancellationToken
        );
        var issues = new List<InputIssue>();
        var screenings = new List<ScreeningResources>();
        ModelIdentity? model = null;
        var invalid = false;
        foreach (var input in Inputs(paths, issues))
        {
            await using var scope = host.Services.CreateAsyncScope();
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            try
            {
                var outcome = input.IsBulkExport
                    ? await mediator.Send(new ScreenBulkExport(input.Path, asOf, Actor), cancellationToken)
                    : await mediator.Send(
                        new ScreenBundle(
                            await File.ReadAllTextAsync(input.Path, cancellationToken),
                            input.Path,
                            asOf,
                            Actor
                        ),
                        cancellationToken
                    );
                screenings.AddRange(outcome.Screenings);
                model ??= outcome.Model;
                issues.AddRange(outcome.Issues);
                foreach (
                    var problem in outcome.Issues.Where(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal)
                )
                {
                    invalid = true;
                    await stderr.WriteLineAsync($"error: {problem.Describe()}");
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var (status, inputIssues) = OperationOutcomeExceptionHandler.Translate(ex);
                if (status >= 500)
                    throw;
                var located = inputIssues.Select(i => i with { Source = i.Source ?? input.Path }).ToList();
                issues.AddRange(located);
                var errors = located.Where(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal).ToList();
                invalid |= errors.Count > 0;
                var first = errors.FirstOrDefault() ?? located[0];
                await stderr.WriteLineAsync($"{(errors.Count > 0 ? "error" : "warning")}: {first.Describe()}");
            }
        }
        invalid |=
            issues.Any(i => i.Code == "not-found" && i.Location == "path")
            || (screenings.Count == 0 && issues.Count == 0);

        var output =
            screenings.Count == 0 || model is null
                ? (Hl7.Fhir.Model.Resource)
                    OperationOutcomeBuilder.From(
                        issues.Count > 0
                            ? issues
                            : [new InputIssue(IssueSeverity.Error, "not-found", "No FHIR input files were found.")]
                    )
                : ScreeningBundleBuilder.Build(model, screenings, issues, DateTimeOffset.UtcNow);
        await stdout.WriteLineAsync(FhirJson.Serialize(output));
        return invalid ? Verbs.InvalidInput : Verbs.Success;
    }

    private static string Actor => $"cli:{Environment.UserName}";

    private sealed record Input(string Path, bool IsBulkExport);

    /// <summary>
    /// Files as given; folders of NDJSON as bulk exports; other folders as their *.json files, recursively.
    /// </summary>
    private static IEnumerable<Input> Inputs(string[] paths, List<InputIssue> issues)
    {
        foreach (var path in paths)
        {
            if (BulkExportLayout.LooksLikeBulkExport(path))
            {
                yield return new Input(path, IsBulkExport: true);
            }
            else if (Directory.Exists(path))
            {
                foreach (
                    var file in Directory
                        .EnumerateFiles(path, "*.json", SearchOption.AllDirectories)
                        .Order(StringComparer.Ordinal)
                )
                    yield return new Input(file, IsBulkExport: false);
            }
            else if (File.Exists(path))
            {
                yield return new Input(path, IsBulkExport: false);
            }
            else
            {
                issues.Add(
                    new InputIssue(
                        IssueSeverity.Error,
                        "not-found",
                        $"No such file or folder: {path}",
                        "path",
                        Source: path
                    )
                );
            }
        }
    }
}
