using System.CommandLine;
using System.CommandLine.Parsing;
using Clinical.Api.Features.Cohorts;
using Clinical.Synthetic;
using Mediator;

namespace Clinical.Api.Cli;

/// <summary>
/// `generate-cohort`: synthetic patients with known HF status, for demos, tests, training and benchmarks.
/// </summary>
internal static class GenerateCohortVerb
{
    public static Command Create()
    {
        var patients = new Option<int>("--patients") { Description = "Number of adult patients.", Required = true };
        var seed = new Option<long>("--seed")
        {
            Description = "Random seed; the same seed and options give byte-identical output.",
            DefaultValueFactory = _ => 1,
        };
        var output = new Option<string>("--out") { Description = "Empty or new folder to write to.", Required = true };
        var format = new Option<string>("--format")
        {
            Description = "bundles (one collection Bundle per patient) or ndjson (Bulk Data layout).",
            DefaultValueFactory = _ => "bundles",
        };
        format.AcceptOnlyFromAmong("bundles", "ndjson");
        var asOf = CommonOptions.AsOf("Date the records end. Default 2026-06-30.");
        var languages = new Option<IReadOnlyList<NoteLanguage>>("--languages")
        {
            Description = "Note languages among es,ca,eu,gl.",
            HelpName = "es,ca,eu,gl",
            DefaultValueFactory = _ => NoteLanguageCodes.ParseList("es,ca,eu,gl"),
            CustomParser = ParseLanguages,
        };
        var hfShare = new Option<double?>("--hf-share")
        {
            Description = "Share of patients with HF (diagnosed or not). Default: Spanish epidemiology (~2 %).",
        };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON instead of text." };
        var command = new Command(
            "generate-cohort",
            "Generate a synthetic Spanish primary-care cohort as FHIR, with truth.ndjson and a summary."
        )
        {
            patients,
            seed,
            output,
            format,
            asOf,
            languages,
            hfShare,
            json,
        };
        command.SetAction(
            (result, cancellationToken) =>
            {
                var options = new CohortOptions(
                    result.GetValue(patients),
                    result.GetValue(seed),
                    result.GetValue(format) == "ndjson" ? CohortFormat.Ndjson : CohortFormat.Bundles,
                    result.GetValue(asOf),
                    result.GetValue(languages),
                    result.GetValue(hfShare)
                );
                return VerbHost.SendAsync(
                    async (mediator, ct) =>
                    {
                        var summary = await mediator.Send(new GenerateCohort(options, result.GetValue(output)!), ct);
                        await result.InvocationConfiguration.Output.WriteLineAsync(
                            result.GetValue(json) ? summary.ToJson() : summary.ToText()
                        );
                    },
                    cancellationToken
                );
            }
        );
        return command;
    }

    private static IReadOnlyList<NoteLanguage> ParseLanguages(ArgumentResult result)
    {
        var codes = string.Join(',', result.Tokens.Select(t => t.Value))
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var known = NoteLanguageCodes.All.Select(l => l.ToCode()).ToList();
        var unknown = codes.Where(c => !known.Contains(c.ToLowerInvariant())).ToList();
        if (unknown.Count > 0)
            result.AddError($"--languages: unknown note language '{unknown[0]}'; expected es, ca, gl or eu.");
        return unknown.Count > 0 ? [] : NoteLanguageCodes.ParseList(string.Join(',', codes));
    }
}
