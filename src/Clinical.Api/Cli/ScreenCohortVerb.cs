using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Clinical.Api.Errors;
using Clinical.Api.Features.Cohorts;
using Clinical.Api.Features.Cohorts.BulkExport;
using Clinical.Api.Features.Cohorts.Cluster;
using Clinical.Api.Features.Cohorts.Runs;
using Clinical.Fhir.Parsing;
using Mediator;

namespace Clinical.Api.Cli;

/// <summary>
/// `screen-cohort INPUT... --out DIR`: screens a whole cohort as a batch job (<see cref="StartCohortRun"/>, then
/// <see cref="ScreenCohort"/>): progress on stderr, results as NDJSON files, manifest.json, summary.json and
/// flagged.csv in DIR, every result stored under the run id. Ctrl-C (or SIGTERM) stops at a batch boundary; a kill
/// loses at most the batch in flight; --resume finishes exactly the rest. Exit 0: completed, every patient screened
/// or skipped; 2: completed with failed patients or unusable input (see OperationOutcome.ndjson), or bad options;
/// 1: interrupted or failed. With --export-from the cohort is first exported from an allow-listed EHR (the
/// bulk-export verb's client) into --export-dir, then screened from there.
/// </summary>
internal static class ScreenCohortVerb
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs")
        {
            Description = CommonOptions.FhirInputs + " Not needed with --resume.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var output = new Option<string>("--out")
        {
            Description = "Folder for the run's files: new or empty, or the unfinished run's folder with --resume.",
            HelpName = "DIR",
            Required = true,
        };
        var runId = new Option<string?>("--run-id")
        {
            Description = "The run id, also the results' meta.tag (default: the start time and random digits).",
            HelpName = "ID",
        };
        var resume = new Option<bool>("--resume")
        {
            Description = "Finish the unfinished run in --out exactly where it stopped.",
        };
        var asOf = CommonOptions.AsOf("Screen the records as they stood on this date. Default: today.");
        var summaries = new Option<string>("--summaries")
        {
            Description = "none, or flagged: a grounded notes summary (DocumentReference) for each flagged patient.",
            DefaultValueFactory = _ => SummaryChoice.None,
        };
        summaries.AcceptOnlyFromAmong([.. SummaryChoice.All]);
        var exportFrom = new Option<string?>("--export-from")
        {
            HelpName = "FHIR_BASE",
            Description =
                "Export the cohort first from this EHR (FHIR Bulk Data, as bulk-export; it must be in "
                + "Clinical:BulkExport:AllowedFhirServers), instead of naming inputs.",
        };
        var group = new Option<string?>("--group")
        {
            HelpName = "ID",
            Description = "With --export-from: the patients of Group/ID (default: every patient, Patient/$export).",
        };
        var since = new Option<string?>("--since")
        {
            HelpName = "INSTANT",
            Description =
                "With --export-from: only resources changed since this FHIR instant (_since), the monthly "
                + "incremental re-screen.",
        };
        var exportDir = new Option<string?>("--export-dir")
        {
            HelpName = "DIR",
            Description =
                "With --export-from: where the export is downloaded (default: DIR-export beside --out); "
                + "rerunning the command resumes an interrupted download.",
        };
        var cluster = new Option<bool>("--cluster")
        {
            Description =
                "Run as a silo of the cohort cluster (Clinical:Cluster:ConnectionString, PostgreSQL): the shards go "
                + "to every worker that joined it. Without that setting, a cluster of this process alone (nothing to "
                + "set up). Default: no silo, the shards in order in this process.",
        };
        var database = CommonOptions.Database();
        var tabularModel = CommonOptions.TabularModel();
        var noteModel = CommonOptions.NoteModel();
        var command = new Command(
            "screen-cohort",
            "Screen a cohort (Bulk Data export, folders of Bundles) as a resumable batch job; NDJSON results in DIR."
        )
        {
            inputs,
            output,
            runId,
            resume,
            asOf,
            summaries,
            exportFrom,
            group,
            since,
            exportDir,
            cluster,
            database,
            tabularModel,
            noteModel,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(exportFrom) is null)
            {
                if (result.GetValue(group) is not null || result.GetValue(since) is not null)
                    result.AddError("--group and --since go with --export-from.");
                if (result.GetValue(exportDir) is not null)
                    result.AddError("--export-dir goes with --export-from.");
            }
            else if ((result.GetValue(inputs) ?? []).Length > 0 || result.GetValue(resume))
                result.AddError("--export-from replaces the inputs and does not go with --resume.");
        });
        command.SetAction(
            (result, cancellationToken) =>
                RunAsync(
                    new CohortRequest(
                        result.GetValue(inputs) ?? [],
                        result.GetValue(output)!,
                        result.GetValue(runId),
                        result.GetValue(resume),
                        result.GetValue(asOf),
                        result.GetResult(summaries) is { Implicit: false } ? result.GetValue(summaries) : null,
                        result.GetValue(database),
                        CommonOptions.ToModelArgs(result.GetValue(tabularModel), result.GetValue(noteModel))
                    )
                    {
                        Export = result.GetValue(exportFrom) is { } from
                            ? new CohortExport(
                                from,
                                result.GetValue(exportDir) ?? result.GetValue(output)!.TrimEnd('/') + "-export",
                                result.GetValue(group),
                                result.GetValue(since)
                            )
                            : null,
                        Cluster = result.GetValue(cluster),
                    },
                    result.InvocationConfiguration.Output,
                    result.InvocationConfiguration.Error,
                    cancellationToken
                )
        );
        return command;
    }

    /// <summary>The verb's options; Summaries is null when not given (a resumed run keeps its own).</summary>
    public sealed record CohortRequest(
        IReadOnlyList<string> Inputs,
        string Output,
        string? RunId,
        bool Resume,
        DateOnly? AsOf,
        string? Summaries,
        string? Database,
        IReadOnlyList<string> ConfigurationArgs
    )
    {
        /// <summary>The Bulk Data export the cohort comes from, when not from inputs on disk.</summary>
        public CohortExport? Export { get; init; }

        /// <summary>Join the cohort cluster and hand the shards to its grains.</summary>
        public bool Cluster { get; init; }
    }

    /// <summary>--export-from FHIR_BASE --group ID --since INSTANT, downloaded into Folder.</summary>
    public sealed record CohortExport(string FhirBase, string Folder, string? GroupId, string? Since);

    public static async Task<int> RunAsync(
        CohortRequest request,
        TextWriter stdout,
        TextWriter stderr,
        CancellationToken cancellationToken,
        bool? terminal = null
    )
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var host = await VerbHost.StartAsync(
            [.. CommonOptions.ToConfigurationArgs(request.Database), .. request.ConfigurationArgs],
            stop.Token,
            configure: request.Cluster ? builder => VerbHost.AddCohortSilo(builder, aloneWithoutDatabase: true) : null,
            defaults: VerbHost.CohortDefaults
        );
        try
        {
            if (request.Cluster)
                await stderr.WriteLineAsync(SiloLine(host.Services));
            return await ScreenAsync(request, host.Services, stdout, stderr, terminal, stop.Token);
        }
        finally
        {
            // A silo leaves the cluster (its grains deactivated, its membership row marked dead) before the host goes.
            if (request.Cluster)
                await host.StopAsync(CancellationToken.None);
        }

        void Stop(PosixSignalContext signal)
        {
            // The first signal stops at a batch boundary; a second one ends the process at once (still resumable).
            if (stop.IsCancellationRequested)
                return;
            signal.Cancel = true;
            stop.Cancel();
        }
    }

    private static async Task<int> ScreenAsync(
        CohortRequest request,
        IServiceProvider services,
        TextWriter stdout,
        TextWriter stderr,
        bool? terminal,
        CancellationToken cancellationToken
    )
    {
        var options = services.GetRequiredService<CohortRunOptions>();
        await using var scope = services.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        var runId = request.Resume
            ? await ResumableAsync(request, mediator, cancellationToken)
            : await StartAsync(request, mediator, stderr, cancellationToken);
        if (runId is null)
        {
            await stderr.WriteLineAsync($"screen-cohort: {request.Output} holds a completed run; nothing to resume.");
            return Verbs.Success;
        }
        try
        {
            var summary = await CohortProgressView.RunAsync(
                stderr,
                terminal ?? !Console.IsErrorRedirected,
                TimeSpan.FromSeconds(options.ProgressSeconds),
                progress =>
                    mediator.Send(new ScreenCohort(runId, Actor) { Progress = progress }, cancellationToken).AsTask()
            );
            await stdout.WriteAsync(summary.ToJson());
            await stderr.WriteLineAsync(Describe(summary, request.Output));
            return summary.Patients.Failed == 0 && summary.InputErrors == 0 ? Verbs.Success : Verbs.InvalidInput;
        }
        catch (OperationCanceledException)
        {
            var summaryFile = Path.Combine(request.Output, CohortFiles.Summary);
            var line = File.Exists(summaryFile)
                ? Describe(
                    CohortRunSummary.FromJson(await File.ReadAllTextAsync(summaryFile, CancellationToken.None)),
                    request.Output
                )
                : $"screen-cohort {runId} interrupted before any batch was committed.";
            await stderr.WriteLineAsync(line);
            await stderr.WriteLineAsync($"Finish it with: clinical screen-cohort --out {request.Output} --resume");
            return Verbs.Failure;
        }
    }

    /// <summary>Where this process's silo is and which cluster it is in.</summary>
    private static string SiloLine(IServiceProvider services)
    {
        var silo = services.GetRequiredService<Orleans.Runtime.ILocalSiloDetails>();
        var kept = string.IsNullOrEmpty(services.GetRequiredService<CohortClusterOptions>().ConnectionString)
            ? "this process alone, state in memory"
            : "kept in PostgreSQL";
        return $"screen-cohort: silo {silo.SiloAddress} of cluster {silo.ClusterId} ({kept}).";
    }

    private static async Task<string> StartAsync(
        CohortRequest request,
        IMediator mediator,
        TextWriter stderr,
        CancellationToken cancellationToken
    )
    {
        if (request.Export is { } export)
            request = request with { Inputs = [await ExportAsync(export, mediator, stderr, cancellationToken)] };
        if (request.Inputs.Count == 0)
            throw BadOption("inputs", "Name the cohort's inputs (or add --resume to finish a run).");
        var run = await mediator.Send(
            new StartCohortRun(
                request.Inputs,
                request.Output,
                request.RunId,
                request.AsOf,
                request.Summaries ?? SummaryChoice.None,
                StartCohortRun.Cli,
                CommandLine(request),
                Actor
            ),
            cancellationToken
        );
        return run.RunId;
    }

    /// <summary>
    /// The cohort exported from the EHR into the export folder (an interrupted download there is resumed); the
    /// folder is then the run's one input, so --resume never contacts the EHR again.
    /// </summary>
    private static async Task<string> ExportAsync(
        CohortExport export,
        IMediator mediator,
        TextWriter stderr,
        CancellationToken cancellationToken
    )
    {
        var result = await mediator.Send(
            new ExportFromEhr(
                export.FhirBase,
                export.Folder,
                Actor,
                export.GroupId,
                Since: export.Since,
                Progress: new BulkExportVerb.LineProgress(stderr)
            ),
            cancellationToken
        );
        foreach (var message in result.ServerErrors)
            await stderr.WriteLineAsync($"warning: the EHR reported: {message}");
        await stderr.WriteLineAsync(
            $"screen-cohort: exported {result.Resources:N0} resources into {result.Folder} "
                + $"(transactionTime {result.TransactionTime}; next month: --since {result.TransactionTime})."
        );
        return result.Folder;
    }

    /// <summary>
    /// The unfinished run in --out (its id from --run-id or the folder's pointer); null when it completed.
    /// </summary>
    private static async Task<string?> ResumableAsync(
        CohortRequest request,
        IMediator mediator,
        CancellationToken cancellationToken
    )
    {
        var pointer = Path.Combine(request.Output, StartCohortRunHandler.PointerFile);
        var runId =
            request.RunId
            ?? (File.Exists(pointer) ? (await File.ReadAllTextAsync(pointer, cancellationToken)).Trim() : null);
        if (runId is null)
            return File.Exists(Path.Combine(request.Output, CohortFiles.Manifest))
                ? null
                : throw BadOption("--out", $"{request.Output} holds no unfinished cohort run to resume.");
        var (run, _) = await mediator.Send(new GetCohortRun(runId), cancellationToken);
        var given = request.Inputs.Select(Path.GetFullPath).ToList();
        if (given.Count > 0 && !given.SequenceEqual(CohortPlanner.Inputs(run)))
            throw BadOption(
                "inputs",
                $"Run {runId} screens other inputs: {string.Join(' ', CohortPlanner.Inputs(run))}."
            );
        if (request.AsOf is { } asOf && asOf != run.AsOf)
            throw BadOption("--as-of", $"Run {runId} screens as of {run.AsOf:yyyy-MM-dd}.");
        if (request.Summaries is { } summaries && summaries != run.Summaries)
            throw BadOption("--summaries", $"Run {runId} was started with --summaries {run.Summaries}.");
        if (Path.GetFullPath(request.Output) != run.OutputFolder)
            throw BadOption("--out", $"Run {runId} writes to {run.OutputFolder}.");
        return run.Status == CohortRunStatus.Completed ? null : runId;
    }

    private static string Describe(CohortRunSummary summary, string folder)
    {
        var patients = summary.Patients;
        var trimmed =
            patients.NotesTrimmed > 0
                ? string.Create(
                    CultureInfo.InvariantCulture,
                    $"; {patients.NotesTrimmed:N0} screened on their newest notes only (note budget, see "
                        + $"OperationOutcome.ndjson)"
                )
                : "";
        var tail =
            summary.Status == CohortRunStatus.Completed
                ? $"; results in {folder}"
                : $", {patients.NotReached:N0} not reached";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"screen-cohort {summary.RunId} {summary.Status}: {patients.Read:N0} patients read, "
                + $"{patients.Done:N0} done ({patients.Screened:N0} screened, {patients.Flagged:N0} flagged, "
                + $"{patients.Skipped.Total:N0} skipped, {patients.Failed:N0} failed) "
                + $"in {summary.ElapsedSeconds:0.0} s ({summary.PatientsPerSecond:0.0} patients/s)"
                + $"{trimmed}{tail}"
        );
    }

    private static string CommandLine(CohortRequest request) =>
        string.Join(
            ' ',
            [
                "clinical screen-cohort",
                .. request.Inputs.Select(Path.GetFullPath),
                "--out",
                Path.GetFullPath(request.Output),
                .. request.AsOf is { } asOf
                    ? ["--as-of", asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)]
                    : Array.Empty<string>(),
                "--summaries",
                request.Summaries ?? SummaryChoice.None,
            ]
        );

    private static FhirInputException BadOption(string option, string message) =>
        new([new InputIssue(IssueSeverity.Error, "invalid", message, option)]);

    private static string Actor => $"cli:{Environment.UserName}";
}
