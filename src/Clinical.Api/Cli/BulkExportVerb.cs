using System.CommandLine;
using System.CommandLine.Parsing;
using Clinical.Api.Features.Cohorts.BulkExport;
using Mediator;

namespace Clinical.Api.Cli;

/// <summary>
/// `bulk-export --from FHIR_BASE --out DIR`: a FHIR Bulk Data export from an allow-listed EHR into DIR, ready for
/// `screen`/`screen-cohort`. Progress goes to stderr, the result to stdout. Rerunning the same command on the same
/// folder resumes an interrupted export. Exit 0 done (the EHR's own error reports are printed as warnings), 2 an
/// option or the folder is wrong or the server is not allow-listed, 1 the EHR refused or failed, or Ctrl-C.
/// </summary>
internal static class BulkExportVerb
{
    public static Command Create()
    {
        var from = new Option<string>("--from")
        {
            HelpName = "FHIR_BASE",
            Description = "FHIR base URL of the EHR; it must be in Clinical:BulkExport:AllowedFhirServers.",
            Required = true,
        };
        var group = new Option<string?>("--group")
        {
            HelpName = "ID",
            Description = "Export the patients of Group/ID (default: every patient, Patient/$export).",
        };
        var system = new Option<bool>("--system") { Description = "System-level $export instead of Patient/$export." };
        var since = new Option<string?>("--since")
        {
            HelpName = "INSTANT",
            Description =
                "Only resources changed since this FHIR instant (_since), e.g. a previous export's "
                + "transactionTime.",
        };
        var sinceExport = new Option<string?>("--since-export")
        {
            HelpName = "DIR",
            Description = "Incremental re-screen: _since is the transactionTime of the finished export in DIR.",
        };
        var types = new Option<IReadOnlyList<string>>("--type")
        {
            HelpName = "Type,Type",
            Description =
                "Resource types (_type). Default: those screening reads "
                + $"({string.Join(',', BulkDataClient.ScreeningTypes)}).",
            CustomParser = result =>
                result
                    .Tokens.SelectMany(t =>
                        t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    )
                    .ToList(),
        };
        var output = new Option<string>("--out")
        {
            HelpName = "DIR",
            Description = "A new or empty folder, or the folder of an interrupted export to resume.",
            Required = true,
        };
        var database = CommonOptions.Database();
        var command = new Command(
            "bulk-export",
            "Export patients from an EHR with FHIR Bulk Data ($export, SMART Backend Services) into a folder."
        )
        {
            from,
            group,
            system,
            since,
            sinceExport,
            types,
            output,
            database,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(since) is not null && result.GetValue(sinceExport) is not null)
                result.AddError("--since and --since-export exclude each other.");
        });
        command.SetAction(
            async (result, cancellationToken) =>
            {
                var stderr = result.InvocationConfiguration.Error;
                var sinceValue = result.GetValue(since);
                if (result.GetValue(sinceExport) is { } previous)
                {
                    sinceValue = ExportState.TransactionTimeOf(previous);
                    if (sinceValue is null)
                    {
                        await stderr.WriteLineAsync($"error: --since-export {previous} holds no finished export.");
                        return Verbs.InvalidInput;
                    }
                }
                var request = new ExportFromEhr(
                    result.GetValue(from)!,
                    result.GetValue(output)!,
                    $"cli:{Environment.UserName}",
                    result.GetValue(group),
                    result.GetValue(system),
                    sinceValue,
                    result.GetValue(types),
                    new LineProgress(stderr)
                );
                return await RunAsync(
                    request,
                    result.GetValue(database),
                    result.InvocationConfiguration.Output,
                    stderr,
                    cancellationToken
                );
            }
        );
        return command;
    }

    private static async Task<int> RunAsync(
        ExportFromEhr request,
        string? database,
        TextWriter stdout,
        TextWriter stderr,
        CancellationToken cancellationToken
    )
    {
        using var host = await VerbHost.StartAsync(CommonOptions.ToConfigurationArgs(database), cancellationToken);
        await using var scope = host.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request, cancellationToken);
        foreach (var message in result.ServerErrors)
            await stderr.WriteLineAsync($"warning: the EHR reported: {message}");
        await stdout.WriteLineAsync(
            $"{(result.Resumed ? "Resumed and finished" : "Exported")} {result.Files} files "
                + $"({result.Resources:N0} resources, {result.Bytes:N0} bytes) into {result.Folder}"
                + (result.ErrorFiles > 0 ? $"; the EHR's error reports are in {result.Folder}/error." : ".")
        );
        await stdout.WriteLineAsync(
            $"transactionTime {result.TransactionTime}: next incremental export with --since {result.TransactionTime} "
                + $"or --since-export {result.Folder}."
        );
        return Verbs.Success;
    }

    /// <summary>Progress as plain stderr lines, one at a time (downloads report from several threads).</summary>
    internal sealed class LineProgress(TextWriter stderr) : IProgress<ExportProgress>
    {
        private readonly Lock _write = new();

        public void Report(ExportProgress value)
        {
            lock (_write)
                stderr.WriteLine(value.Message);
        }
    }
}
