using Clinical.Api.Cli;
using Clinical.Api.Hosting;

// One executable: `clinical <verb> ...` runs a command-line verb; anything else starts the service
// (as `clinical serve` does, and as WebApplicationFactory does in tests).
if (Verbs.IsVerbInvocation(args))
{
    return await Verbs.RunAsync(args);
}

await ServiceHost.Build(args).RunAsync();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory.</summary>
public partial class Program;
