using System.Text.Json;
using Clinical.Api.Errors;
using Clinical.Api.Features.Cohorts.Runs;
using Clinical.Api.FhirHttp;
using Clinical.Api.Hosting;
using Clinical.Api.Persistence;
using Clinical.Api.Pipeline;
using Clinical.Fhir.Parsing;
using FluentValidation;
using Hl7.Fhir.Model;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Clinical.Api.Features.Cohorts;

/// <summary>
/// Records a new cohort screening run (queued): its inputs (Bulk Data export folders, folders of Bundles, Bundle
/// files), as-of date, summaries choice and output folder; <see cref="ScreenCohort"/> then does the work. The command
/// line names its inputs and folder; over HTTP (POST /fhir/$hf-screen-cohort) inputs must lie in an allow-listed
/// folder and the output goes to the configured folder. An export from an EHR (issue 14, the Bulk Data client) will
/// arrive here as the local folder the client downloaded it to.
/// </summary>
public sealed record StartCohortRun(
    IReadOnlyList<string> Inputs,
    string? OutputFolder,
    string? RunId,
    DateOnly? AsOf,
    string Summaries,
    string Origin,
    string Request,
    string Actor
) : IRequest<CohortRun>, IAuditedRequest
{
    public const string Cli = "cli";
    public const string Http = "http";

    public string Action => "start-cohort-run";
}

public sealed class StartCohortRunValidator : AbstractValidator<StartCohortRun>
{
    public StartCohortRunValidator(TimeProvider clock, CohortRunOptions options)
    {
        RuleFor(r => r.Inputs).NotEmpty().WithMessage("Name at least one input (a folder or a Bundle file).");
        RuleForEach(r => r.Inputs)
            .Must(p => File.Exists(p) || Directory.Exists(p))
            .WithMessage((_, path) => $"No such file or folder: {path}");
        RuleForEach(r => r.Inputs)
            .Must(path => Allowed(path, options.InputFolders))
            .When(r => r.Origin == StartCohortRun.Http)
            .WithMessage(
                (_, path) =>
                    $"{path} is not inside a folder this service may read (Clinical:Cohorts:InputFolders); "
                    + "inputs are named by reference to an allow-listed folder."
            );
        RuleFor(r => r.RunId)
            .Must(CohortRunIds.IsValid)
            .When(r => r.RunId is not null)
            .WithMessage(r => CohortRunIds.Invalid(r.RunId));
        RuleFor(r => r.AsOf).NotInTheFuture(clock);
        RuleFor(r => r.Summaries)
            .Must(SummaryChoice.All.Contains)
            .WithMessage(r => $"summaries '{r.Summaries}' is not one of {string.Join(", ", SummaryChoice.All)}.");
        RuleFor(r => r.OutputFolder)
            .NotEmpty()
            .When(r => r.Origin == StartCohortRun.Cli)
            .WithMessage("--out is required.");
        RuleFor(r => r.OutputFolder)
            .Must(folder =>
                folder is null || !Directory.Exists(folder) || !Directory.EnumerateFileSystemEntries(folder).Any()
            )
            .WithMessage(r =>
                $"--out {r.OutputFolder} exists and is not empty; choose an empty or new folder "
                + "(or add --resume to finish the run it holds)."
            );
    }

    /// <summary>Inside an allow-listed folder, as full paths, and not reached through a symbolic link.</summary>
    public static bool Allowed(string path, IReadOnlyList<string> folders)
    {
        var full = Path.GetFullPath(path);
        FileSystemInfo info = Directory.Exists(full) ? new DirectoryInfo(full) : new FileInfo(full);
        if (info.LinkTarget is not null)
            return false;
        return folders
            .Select(f => Path.TrimEndingDirectorySeparator(Path.GetFullPath(f)))
            .Any(root => full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }
}

public sealed class StartCohortRunHandler(ClinicalDbContext db, TimeProvider clock, CohortRunOptions options)
    : IRequestHandler<StartCohortRun, CohortRun>
{
    /// <summary>The file in a run's folder that names its run id while it is unfinished (for --resume).</summary>
    public const string PointerFile = ".cohort-run";

    public async ValueTask<CohortRun> Handle(StartCohortRun request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var runId = request.RunId ?? CohortRunIds.New(now);
        if (await db.CohortRuns.AnyAsync(r => r.RunId == runId, cancellationToken))
            throw new ConflictException($"Run {runId} already exists; resume it (--resume) or choose another run id.");
        var folder = Path.GetFullPath(request.OutputFolder ?? Path.Combine(options.OutputFolder, runId));
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            throw new ConflictException($"The output folder {folder} is not empty.");
        var inputs = request.Inputs.Select(Path.GetFullPath).ToList();
        var run = new CohortRun
        {
            RunId = runId,
            Status = CohortRunStatus.Queued,
            Origin = request.Origin,
            Actor = request.Actor,
            Request = request.Request,
            InputsJson = JsonSerializer.Serialize(inputs),
            InputFingerprint = CohortPlanner.Fingerprint(inputs),
            OutputFolder = folder,
            AsOf = request.AsOf ?? DateOnly.FromDateTime(now.UtcDateTime),
            Summaries = request.Summaries,
            ScreenedAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
        Directory.CreateDirectory(folder);
        db.CohortRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        // After the commit: a pointer always names a run that exists (a kill before it leaves an empty folder).
        await File.WriteAllTextAsync(Path.Combine(folder, PointerFile), runId + "\n", CancellationToken.None);
        return run;
    }
}

/// <summary>A run's status values.</summary>
public static class CohortRunStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Interrupted = "interrupted";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}

/// <summary>
/// POST /fhir/$hf-screen-cohort (admin role): the FHIR asynchronous request pattern. Prefer: respond-async is
/// required; the body is a Parameters resource with parts input (valueString, 1..*: a folder or file inside an
/// allow-listed folder), asOf (valueDate), summaries (valueCode none | flagged) and runId (valueString). Answers 202
/// with Content-Location: the run's status URL (see <see cref="CohortRunEndpoints"/>).
/// </summary>
public static class StartCohortRunEndpoint
{
    public const string OperationPath = "/$hf-screen-cohort";

    public static void MapStartCohortRun(this RouteGroupBuilder fhir) =>
        fhir.MapPost(
                OperationPath,
                async (
                    HttpRequest http,
                    IMediator mediator,
                    CohortRunner runner,
                    CancellationToken cancellationToken
                ) =>
                {
                    FhirContent.RequireFhirJson(http);
                    if (
                        !http.Headers["Prefer"]
                            .SelectMany(v => (v ?? "").Split(','))
                            .Any(v => v.Trim().Equals("respond-async", StringComparison.OrdinalIgnoreCase))
                    )
                        throw Invalid(
                            "Prefer",
                            "$hf-screen-cohort runs asynchronously: send the header Prefer: respond-async."
                        );
                    using var body = await ParametersJson.ReadAsync(http, cancellationToken);
                    var parts = ParametersJson.Parts(body.RootElement).ToList();
                    var inputs = parts
                        .Where(p => p.Name == "input")
                        .Select(p =>
                            String(p.Value, "valueString") ?? throw Invalid("input", "input needs valueString.")
                        )
                        .ToList();
                    var run = await mediator.Send(
                        new StartCohortRun(
                            inputs,
                            OutputFolder: null,
                            parts
                                .Where(p => p.Name == "runId")
                                .Select(p => String(p.Value, "valueString"))
                                .FirstOrDefault(),
                            FhirContent.ParseDate(
                                parts
                                    .Where(p => p.Name == "asOf")
                                    .Select(p => String(p.Value, "valueDate"))
                                    .FirstOrDefault(),
                                "asOf"
                            ),
                            parts
                                .Where(p => p.Name == "summaries")
                                .Select(p => String(p.Value, "valueCode"))
                                .FirstOrDefault()
                                ?? SummaryChoice.None,
                            StartCohortRun.Http,
                            $"{http.Scheme}://{http.Host}{http.PathBase}{http.Path}",
                            FhirContent.Caller(http)
                        ),
                        cancellationToken
                    );
                    runner.Wake();
                    http.HttpContext.Response.Headers.ContentLocation = CohortRunEndpoints.StatusUrl(http, run.RunId);
                    return FhirContent.Result(
                        new OperationOutcome
                        {
                            Issue =
                            [
                                new OperationOutcome.IssueComponent
                                {
                                    Severity = OperationOutcome.IssueSeverity.Information,
                                    Code = OperationOutcome.IssueType.Informational,
                                    Diagnostics = $"Cohort run {run.RunId} accepted; poll the Content-Location URL.",
                                },
                            ],
                        },
                        StatusCodes.Status202Accepted
                    );
                }
            )
            .WithName("StartCohortRun")
            .RequireAuthorization(Policies.Admin);

    private static string? String(JsonElement part, string property) =>
        part.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static FhirInputException Invalid(string location, string message) =>
        new([new InputIssue(IssueSeverity.Error, "invalid", message, location)]);
}
