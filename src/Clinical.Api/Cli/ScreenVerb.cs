using System.CommandLine;
using Clinical.Api.Errors;
using Clinical.Api.Features.Screening;
using Clinical.Api.Hosting;
using Clinical.Fhir.Output;
using Clinical.Fhir.Parsing;
using Clinical.Models.Scoring;
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
            Description = CommonOptions.FhirInputs,
            Arity = ArgumentArity.OneOrMore,
        };
        var asOf = CommonOptions.AsOf("Screen the record as it stood on this date. Default: today.");
        var database = CommonOptions.Database();
        var tabularModel = CommonOptions.TabularModel();
        var noteModel = CommonOptions.NoteModel();
        var noteModelFor = CommonOptions.NoteModelFor();
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
            noteModelFor,
        };
        command.SetAction(
            (result, cancellationToken) =>
                RunAsync(
                    result.GetValue(paths) ?? [],
                    result.GetValue(asOf),
                    result.GetValue(database),
                    result.InvocationConfiguration.Output,
                    result.InvocationConfiguration.Error,
                    cancellationToken,
                    CommonOptions.ToModelArgs(
                        result.GetValue(tabularModel),
                        result.GetValue(noteModel),
                        result.GetValue(noteModelFor)
                    )
                )
        );
        return command;
    }

    public static async Task<int> RunAsync(
        string[] paths,
        DateOnly? asOf,
        string? database,
        TextWriter stdout,
        TextWriter stderr,
        CancellationToken cancellationToken,
        IReadOnlyList<string>? modelArgs = null
    )
    {
        using var host = await VerbHost.StartAsync(
            [.. CommonOptions.ToConfigurationArgs(database), .. modelArgs ?? []],
            cancellationToken
        );
        var maxBytes = host.Services.GetRequiredService<InputLimits>().MaxBytes;
        var issues = new List<InputIssue>();
        var screenings = new List<ScreeningResources>();
        ModelIdentity? model = null;
        var invalid = false;
        foreach (var input in FhirInputs.Enumerate(paths, issues))
        {
            await using var scope = host.Services.CreateAsyncScope();
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            try
            {
                var outcome = input.IsBulkExport
                    ? await mediator.Send(new ScreenBulkExport(input.Path, asOf, Actor), cancellationToken)
                    : await mediator.Send(
                        new ScreenBundle(
                            await BoundedInput.ReadFileAsync(input.Path, maxBytes, cancellationToken),
                            input.Path,
                            asOf,
                            Actor,
                            PatientAccess.AnyPatient
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
                    await stderr.WriteLineAsync($"error: {CommandLineErrors.Describe(problem)}");
                }
            }
            catch (Exception ex) when (Failure.Of(ex) is { Class: FailureClass.BadInput } failure)
            {
                // A bad input is reported where it is and the other inputs are still screened.
                var located = failure.Issues.Select(i => i with { Source = i.Source ?? input.Path }).ToList();
                issues.AddRange(located);
                var errors = located.Any(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal);
                invalid |= errors;
                await stderr.WriteLineAsync($"{(errors ? "error" : "warning")}: {CommandLineErrors.Describe(located)}");
            }
        }
        foreach (var missing in issues.Where(i => i.Code == "not-found" && i.Location == "path"))
            await stderr.WriteLineAsync($"error: {missing.Diagnostics}");
        invalid |=
            issues.Any(i => i.Code == "not-found" && i.Location == "path")
            || (screenings.Count == 0 && issues.Count == 0);

        if (issues.Count == 0 && screenings.Count == 0)
            issues.Add(new InputIssue(IssueSeverity.Error, "not-found", "No FHIR input files were found."));
        // Always the promised collection Bundle, even when every input was invalid: its OperationOutcome says why.
        var output = ScreeningBundleBuilder.Build(
            model ?? new ModelIdentity(RiskEngine.Name, RiskEngine.Version),
            screenings,
            issues,
            DateTimeOffset.UtcNow
        );
        await stdout.WriteLineAsync(FhirJson.Serialize(output));
        return invalid ? Verbs.InvalidInput : Verbs.Success;
    }

    private static string Actor => $"cli:{Environment.UserName}";
}
