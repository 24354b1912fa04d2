using System.CommandLine;
using Clinical.Api.Features.Cohorts.Cluster;
using Orleans.Runtime;

namespace Clinical.Api.Cli;

/// <summary>
/// `worker`: a silo of the cohort cluster kept in PostgreSQL (Clinical:Cluster). It screens the shards the grains
/// place on it, for any coordinator (`screen-cohort --cluster`), until Ctrl-C or SIGTERM, which hand its shards back at
/// a batch boundary; a worker killed outright loses at most its batches in flight, which the others redo.
/// </summary>
internal static class WorkerVerb
{
    public static Command Create()
    {
        var cluster = new Option<string?>("--cluster")
        {
            HelpName = "CONNECTION",
            Description =
                "PostgreSQL connection string of the cluster (else Clinical:Cluster:ConnectionString); the worker "
                + "creates the cluster's tables there when they are missing.",
        };
        var siloPort = new Option<int?>("--silo-port") { Description = "Silo-to-silo port (default 11111)." };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = "Client gateway port (default 30000)." };
        var database = CommonOptions.Database();
        var tabularModel = CommonOptions.TabularModel();
        var noteModel = CommonOptions.NoteModel();
        var command = new Command("worker", "Join the cohort cluster (Orleans, PostgreSQL) and screen its shards.")
        {
            cluster,
            siloPort,
            gatewayPort,
            database,
            tabularModel,
            noteModel,
        };
        command.SetAction(
            async (result, cancellationToken) =>
            {
                var stderr = result.InvocationConfiguration.Error;
                string[] settings =
                [
                    .. CommonOptions.ToConfigurationArgs(result.GetValue(database)),
                    .. CommonOptions.ToModelArgs(result.GetValue(tabularModel), result.GetValue(noteModel)),
                    .. Setting("ConnectionString", result.GetValue(cluster)),
                    .. Setting("SiloPort", result.GetValue(siloPort)?.ToString(CultureInfo())),
                    .. Setting("GatewayPort", result.GetValue(gatewayPort)?.ToString(CultureInfo())),
                ];
                using var host = await VerbHost.StartAsync(
                    settings,
                    cancellationToken,
                    configure: builder => VerbHost.AddCohortSilo(builder, aloneWithoutDatabase: false),
                    defaults: VerbHost.CohortDefaults
                );
                var silo = host.Services.GetRequiredService<ILocalSiloDetails>();
                await stderr.WriteLineAsync(
                    $"worker: silo {silo.SiloAddress} joined cluster {silo.ClusterId}; Ctrl-C to leave."
                );
                // Ctrl-C and SIGTERM (systemd, docker stop) reach the host's console lifetime, which only asks the
                // application to stop: leave when it does, as when the caller cancels.
                var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
                using var leave = CancellationTokenSource.CreateLinkedTokenSource(
                    cancellationToken,
                    lifetime.ApplicationStopping
                );
                try
                {
                    await Task.Delay(Timeout.Infinite, leave.Token);
                }
                catch (OperationCanceledException)
                {
                    await stderr.WriteLineAsync("worker: leaving the cluster (shards in flight stop at a batch).");
                }
                await host.StopAsync(CancellationToken.None);
                return Verbs.Success;
            }
        );
        return command;
    }

    private static System.Globalization.CultureInfo CultureInfo() => System.Globalization.CultureInfo.InvariantCulture;

    private static string[] Setting(string name, string? value) =>
        value is null ? [] : [$"--{CohortClusterOptions.Section}:{name}={value}"];
}
