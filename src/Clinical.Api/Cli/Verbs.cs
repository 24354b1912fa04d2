using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Clinical.Api.Errors;

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
            "Heart-failure screening for primary care: reads FHIR R4 patient data and reports HF risk as FHIR "
                + "RiskAssessment and Flag resources. Decision support for clinicians; not a certified medical device."
        );
        root.Subcommands.Add(ScreenVerb.Create());
        root.Subcommands.Add(BulkExportVerb.Create());
        root.Subcommands.Add(ServeVerb.Create());
        root.Subcommands.Add(DemoVerb.Create());
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
    /// True when the first token is a word (a verb, or a misspelt one, which is then an error) or asks for help.
    /// Otherwise the process is the web host: no arguments, or host arguments, which start with - or / or are
    /// key=value pairs (--urls URL, --environment=Development as WebApplicationFactory passes, Clinical:Database=F).
    /// </summary>
    public static bool IsVerbInvocation(string[] args) =>
        args.Length > 0
        && (
            HelpTokens.Contains(args[0], StringComparer.Ordinal)
            || (args[0] is [not ('-' or '/'), ..] && !args[0].Contains('=', StringComparison.Ordinal))
        );

    /// <summary>
    /// Runs a verb. A verb that does not exist, or an option that does not parse, is one stderr line and exit 2.
    /// Ctrl-C cancels the verb's token and waits for it to finish (finetune writes its resume checkpoint). A failure
    /// the verb lets through is reported by <see cref="CommandLineErrors"/>: one line, never a stack trace.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        var root = Root();
        if (
            IsVerbInvocation(args)
            && !HelpTokens.Contains(args[0], StringComparer.Ordinal)
            && root.Subcommands.All(verb => verb.Name != args[0])
        )
        {
            await stderr.WriteLineAsync(
                $"error: '{args[0]}' is not a verb; the verbs are "
                    + $"{string.Join(", ", root.Subcommands.Select(verb => verb.Name))} (see clinical --help)."
            );
            return InvalidInput;
        }
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            await stderr.WriteLineAsync(
                $"error: {string.Join(" ", parse.Errors.Select(e => e.Message))} "
                    + $"(see {Usage(parse.CommandResult)} --help)"
            );
            return InvalidInput;
        }
        try
        {
            return await parse.InvokeAsync(
                new InvocationConfiguration
                {
                    EnableDefaultExceptionHandler = false,
                    ProcessTerminationTimeout = null,
                    Output = stdout,
                    Error = stderr,
                }
            );
        }
        catch (Exception ex)
        {
            return await CommandLineErrors.ReportAsync(ex, stderr);
        }
    }

    /// <summary>"clinical bench fhir": the command as typed, for the hint after a parse error.</summary>
    private static string Usage(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? result = command; result is CommandResult { Parent: not null } verb; result = verb.Parent)
            names.Insert(0, verb.Command.Name);
        return string.Join(' ', ["clinical", .. names]);
    }
}
