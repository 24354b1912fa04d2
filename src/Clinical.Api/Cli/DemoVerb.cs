using System.CommandLine;
using Clinical.Api.Features.Dashboard.Demo;
using Clinical.Api.Hosting;
using Mediator;

namespace Clinical.Api.Cli;

/// <summary>
/// `demo`: the service with the clinician dashboard in Development on a fresh SQLite database seeded with the fixture
/// bundles and a generated cohort, all screened; prints the URL to open. Synthetic data only.
/// </summary>
internal static class DemoVerb
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Address to listen on.",
            DefaultValueFactory = _ => "http://127.0.0.1:5080",
        };
        var database = new Option<string>("--database")
        {
            Description = "Demo SQLite file; replaced on every run.",
            DefaultValueFactory = _ => Path.Combine("data", "demo.db"),
        };
        var patients = new Option<int>("--patients")
        {
            Description = "Synthetic patients to generate besides the fixtures.",
            DefaultValueFactory = _ => 300,
        };
        var fixtures = new Option<string>("--fixtures")
        {
            Description = "Folder of fixture bundles to screen too.",
            DefaultValueFactory = _ => Path.Combine("fixtures", "bundles"),
        };
        var command = new Command(
            "demo",
            "Run the dashboard demo: Development environment, fresh SQLite, screened synthetic patients."
        )
        {
            urls,
            database,
            patients,
            fixtures,
        };
        command.SetAction(
            async (result, cancellationToken) =>
            {
                var file = result.GetValue(database)!;
                foreach (var stale in new[] { file, file + "-shm", file + "-wal" }.Where(File.Exists))
                    File.Delete(stale);
                var address = result.GetValue(urls)!;
                var app = ServiceHost.Build([
                    $"--urls={address}",
                    "--environment=Development",
                    $"Clinical:Database={file}",
                    "Logging:LogLevel:Default=Warning",
                    "Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
                ]);
                var output = result.InvocationConfiguration.Output;
                await output.WriteLineAsync("Screening the demo cohort (synthetic patients)...");
                await using (var scope = app.Services.CreateAsyncScope())
                {
                    var seeded = await scope
                        .ServiceProvider.GetRequiredService<IMediator>()
                        .Send(
                            new SeedDemo(result.GetValue(fixtures)!, result.GetValue(patients), 1),
                            cancellationToken
                        );
                    await output.WriteLineAsync($"{seeded.Screened} patients screened, {seeded.Flagged} flagged.");
                }
                await output.WriteLineAsync(
                    $"Open {address.TrimEnd('/')}/dashboard and pick a demo clinician (Development sign-in)."
                );
                await app.RunAsync(cancellationToken);
                return Verbs.Success;
            }
        );
        return command;
    }
}
