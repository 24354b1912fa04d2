namespace Clinical.Models.Summaries;

/// <summary>
/// The structured part of a summary, written in the prompt's language: HF-relevant history, key values with
/// dates (newest first), medications, and what is missing for a diagnosis (no natriuretic peptide, no echocardiogram),
/// or that HF is already diagnosed.
/// Both summarizers use the same lines, so the model sees exactly what the extractive summary would show.
/// </summary>
public static class SummaryFacts
{
    public static Dictionary<string, string> Slots(
        SummaryInput input,
        SummaryPrompt prompt,
        IReadOnlyList<EvidenceSentence> evidence
    ) =>
        new(StringComparer.Ordinal)
        {
            ["as_of"] = SummaryFormat.Date(input.AsOf),
            ["history"] = Lines(
                input
                    .Diagnoses.Where(d => d.IsActive)
                    .OrderByDescending(d => d.IsHeartFailure)
                    .ThenBy(d => d.When ?? DateOnly.MaxValue)
                    .Select(d =>
                        d.When is { } when
                            ? $"- {d.Display} ({prompt.Section("since")} {SummaryFormat.Date(when)})"
                            : $"- {d.Display}"
                    ),
                prompt
            ),
            ["evidence"] = Lines(evidence.Select(EvidenceSelection.Line), prompt),
            ["values"] = Lines(
                input
                    .KeyValues.OrderBy(v => v.Kind)
                    .ThenByDescending(v => v.When ?? DateOnly.MinValue)
                    .Select(v =>
                        v.When is { } when
                            ? $"- {prompt.Section(v.Kind.ToString())} {SummaryFormat.Value(v)} "
                                + $"({SummaryFormat.Date(when)})"
                            : $"- {prompt.Section(v.Kind.ToString())} {SummaryFormat.Value(v)}"
                    ),
                prompt
            ),
            ["medications"] = Lines(
                input
                    .Medications.OrderByDescending(m => m.When ?? DateOnly.MinValue)
                    .DistinctBy(m => m.Display)
                    .Select(m => m.When is { } when ? $"- {m.Display} ({SummaryFormat.Date(when)})" : $"- {m.Display}"),
                prompt
            ),
            ["missing"] = Missing(input, prompt),
        };

    public static string Missing(SummaryInput input, SummaryPrompt prompt)
    {
        if (input.Diagnoses.Any(d => d.IsHeartFailure && d.IsActive))
            return prompt.Section("known-hf");
        var missing = new List<string>();
        if (!input.Of(KeyValueKind.NtProBnp).Any() && !input.Of(KeyValueKind.Bnp).Any())
            missing.Add(prompt.Section("missing-peptide"));
        if (!input.Of(KeyValueKind.Lvef).Any())
            missing.Add(prompt.Section("missing-echo"));
        return missing.Count == 0 ? prompt.Section("nothing-missing") : string.Join('\n', missing);
    }

    /// <summary>
    /// Every reference the summary drew on: notes with selected sentences, values, diagnoses and medications.
    /// </summary>
    public static IReadOnlyList<string> Sources(SummaryInput input, IReadOnlyList<EvidenceSentence> evidence) =>
        evidence
            .Select(e => e.Source)
            .Concat(input.KeyValues.Select(v => v.Source))
            .Concat(input.Diagnoses.Where(d => d.IsActive).Select(d => d.Source))
            .Concat(input.Medications.Select(m => m.Source))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    private static string Lines(IEnumerable<string> lines, SummaryPrompt prompt)
    {
        var text = string.Join('\n', lines);
        return text.Length == 0 ? prompt.Section("none") : text;
    }
}
