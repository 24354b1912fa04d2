using System.CommandLine;
using Clinical.Api.Hosting;

namespace Clinical.Api.Cli;

/// <summary>`serve`: the HTTP service (FHIR operations, health), storing results in SQLite.</summary>
internal static class ServeVerb
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on.",
            DefaultValueFactory = _ => "http://127.0.0.1:5080",
        };
        var database = CommonOptions.Database();
        var command = new Command(
            "serve",
            "Run the HTTP service: FHIR operations and searches under /fhir, CDS Hooks under /cds-services, "
                + "/healthz, /readyz (see README)."
        )
        {
            urls,
            database,
        };
        command.SetAction(
            async (result, cancellationToken) =>
            {
                string[] args =
                [
                    $"--urls={result.GetValue(urls)}",
                    .. CommonOptions.ToConfigurationArgs(result.GetValue(database)),
                ];
                await ServiceHost.Build(args).RunAsync(cancellationToken);
                return Verbs.Success;
            }
        );
        return command;
    }
}
