using System.CommandLine;

namespace Clinical.Api.Cli;

/// <summary>The command-line verbs. Each sends the same mediator requests as the HTTP endpoints.</summary>
public static class Verbs
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int InvalidInput = 2;

    private static readonly string[] HelpTokens = ["-h", "--help", "-?", "/?", "--version"];

    public static RootCommand Root()
    {
        var root = new RootCommand(
            "Heart-failure screening for primary care: reads FHIR R4 patient data and reports HF risk as FHIR RiskAssessment and Flag resources. "
                + "Decision support for clinicians; not a certified medical device."
        );
        root.Subcommands.Add(ScreenVerb.Create());
        root.Subcommands.Add(ServeVerb.Create());
        root.Subcommands.Add(GenerateCohortVerb.Create());
        root.Subcommands.Add(BenchVerb.Create());
        root.Subcommands.Add(TrainTabularVerb.Create());
        root.Subcommands.Add(EvaluateCohortVerb.Create());
        root.Subcommands.Add(SummarizeVerb.Create());
        root.Subcommands.Add(FinetuneVerb.Create());
        root.Subcommands.Add(PretrainVerb.Create());
        root.Subcommands.Add(EvaluateVerb.Create());
        root.Subcommands.Add(ClassifyVerb.Create());
        root.Subcommands.Add(CalibrateVerb.Create());
        return root;
    }

    /// <summary>
    /// True when the first token names a verb or asks for help; otherwise the process is the web host.
    /// </summary>
    public static bool IsVerbInvocation(string[] args) =>
        args.Length > 0
        && (HelpTokens.Contains(args[0], StringComparer.Ordinal) || Root().Subcommands.Any(c => c.Name == args[0]));

    /// <summary>
    /// Runs a verb. Ctrl-C cancels the verb's token and waits for it to finish (finetune writes its resume checkpoint);
    /// a failure the verb did not handle prints one line, never a stack trace, and exits 1.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Root().Parse(args);
        try
        {
            return await parse.InvokeAsync(
                new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }
            );
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"error: {ex.GetBaseException().Message}");
            return Failure;
        }
    }
}
