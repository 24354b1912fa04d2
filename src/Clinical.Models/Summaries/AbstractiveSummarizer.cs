using System.Security.Cryptography;
using System.Text;
using Clinical.Models.Decoders.Llama;
using Clinical.Models.Runtime;
using Clinical.Models.Text;

namespace Clinical.Models.Summaries;

/// <summary>
/// A Salamandra/ALIA instruct model writing the summary: the versioned prompt (system + user message with the
/// selected evidence and the structured facts) through the ChatML template, greedy decoding within a time budget,
/// then the grounding check. On a failure, a timeout, or when no sentence survives grounding, it returns the
/// extractive summary with a warning saying why.
/// </summary>
public sealed class AbstractiveSummarizer : IDisposable
{
    private readonly LlamaForCausalLM _model;
    private readonly NoteTokenizer _tokenizer;
    private readonly ExtractiveSummarizer _extractive;
    private readonly Lock _gate = new();

    private AbstractiveSummarizer(
        LlamaForCausalLM model,
        NoteTokenizer tokenizer,
        ExtractiveSummarizer extractive,
        string name,
        string version
    )
    {
        _model = model;
        _tokenizer = tokenizer;
        _extractive = extractive;
        ModelName = name;
        ModelVersion = version;
    }

    public string ModelName { get; }

    /// <summary>The first 12 hex digits of SHA-256 over config.json and the weight files' names and sizes.</summary>
    public string ModelVersion { get; }

    /// <summary>
    /// Loads a Hugging Face folder holding config.json, safetensors weights and tokenizer.model (+
    /// tokenizer_config.json). The drug names are those the grounding check and the extractive fallback recognise.
    /// </summary>
    public static AbstractiveSummarizer Load(string directory, ComputeTarget target, DrugVocabulary drugs)
    {
        var tokenizer = NoteTokenizer.Load(directory);
        var model = LlamaForCausalLM.FromPretrained(directory, target);
        if (tokenizer.VocabularySize > model.Config.VocabSize)
        {
            model.Dispose();
            throw new TokenizerFilesException(
                $"{directory}: the tokenizer has {tokenizer.VocabularySize} pieces but the model only "
                    + $"{model.Config.VocabSize} embeddings."
            );
        }
        return new AbstractiveSummarizer(
            model,
            tokenizer,
            new ExtractiveSummarizer(drugs),
            Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))),
            Fingerprint(directory)
        );
    }

    public PatientSummary Summarize(
        SummaryInput input,
        SummaryOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        options ??= new SummaryOptions();
        try
        {
            return Generate(input, options, cancellationToken);
        }
        catch (Exception error)
            when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return _extractive.Summarize(
                input,
                options,
                [$"abstractive summary failed ({error.GetType().Name}: {error.Message}); extractive summary shown"]
            );
        }
    }

    /// <summary>The prompt's token ids for an input, as the model receives them.</summary>
    public long[] PromptIds(SummaryInput input, SummaryOptions options) => Prompt(input, options).Ids;

    private PatientSummary Generate(SummaryInput input, SummaryOptions options, CancellationToken cancellationToken)
    {
        var (prompt, evidence, ids) = Prompt(input, options);
        var generation = GenerationOptions.Greedy(options.MaxNewTokens) with
        {
            TimeBudget = options.TimeBudget,
            StopTokenIds = ChatTemplate.StopTokenIds(_tokenizer),
        };
        GeneratedSequence sequence;
        lock (_gate)
            sequence = new LlamaGenerator(_model).Generate(ids, generation, cancellationToken).Sequences[0];
        if (sequence.StopReason == StopReason.TimeBudget)
            return _extractive.Summarize(
                input,
                options,
                [$"the model did not finish within {options.TimeBudget.TotalSeconds:0.#} s; extractive summary shown"]
            );

        var warnings = new List<string>();
        if (sequence.StopReason is StopReason.MaxNewTokens or StopReason.ContextFull)
            warnings.Add(
                $"the model stopped at {sequence.Tokens.Length} new tokens ({sequence.StopReason}); "
                    + "the summary may be cut short"
            );
        var generated = _tokenizer.Decode(sequence.Tokens.Select(t => (int)t)).Trim();
        var grounding = GroundingCheck.Apply(generated, input, _extractive.Drugs, options.Grounding);
        if (grounding.Text.Length == 0)
        {
            warnings.Add(
                $"no sentence of the generated summary passed the grounding check ({grounding.ClaimsFailed} of "
                    + $"{grounding.ClaimsChecked} claims unsupported); extractive summary shown"
            );
            var fallback = _extractive.Summarize(input, options, warnings);
            return fallback with
            {
                Grounding = fallback.Grounding with
                {
                    FailedClaims = [.. grounding.FailedClaims, .. fallback.Grounding.FailedClaims],
                    ClaimsChecked = grounding.ClaimsChecked + fallback.Grounding.ClaimsChecked,
                },
            };
        }
        var header = prompt.Fill(
            "abstractive-header",
            new Dictionary<string, string>(StringComparer.Ordinal) { ["model"] = $"{ModelName} {ModelVersion}" }
        );
        return new PatientSummary(
            input.PatientReference,
            $"{header}\n\n{grounding.Text}",
            SummaryKind.Abstractive,
            prompt.Language,
            ModelName,
            ModelVersion,
            prompt.Version,
            grounding,
            warnings,
            SummaryFacts.Sources(input, evidence)
        );
    }

    private (SummaryPrompt Prompt, IReadOnlyList<EvidenceSentence> Evidence, long[] Ids) Prompt(
        SummaryInput input,
        SummaryOptions options
    )
    {
        var prompt = SummaryPrompt.For(input.Language);
        var empty = SummaryFacts.Slots(input, prompt, []);
        var frame = ChatTemplate.Encode(_tokenizer, Messages(prompt, empty)).Length;
        var room = _model.Config.MaxPositionEmbeddings - options.MaxNewTokens - frame;
        var budget = Math.Min(options.EvidenceTokenBudget, room);
        if (budget < 0)
            throw new InvalidOperationException(
                $"The prompt without notes takes {frame} tokens; with {options.MaxNewTokens} new tokens it exceeds "
                    + $"the model's {_model.Config.MaxPositionEmbeddings} positions."
            );
        var evidence = EvidenceSelection.Select(
            input.Notes,
            _extractive.Drugs,
            budget,
            text => _tokenizer.Encode(text + "\n").Count
        );
        var ids = ChatTemplate.Encode(_tokenizer, Messages(prompt, SummaryFacts.Slots(input, prompt, evidence)));
        return (prompt, evidence, ids);
    }

    private static ChatMessage[] Messages(SummaryPrompt prompt, IReadOnlyDictionary<string, string> slots) =>
        [ChatMessage.System(prompt.Section("system")), ChatMessage.User(prompt.Fill("user", slots))];

    private static string Fingerprint(string directory)
    {
        var description = new StringBuilder(File.ReadAllText(Path.Combine(directory, "config.json")));
        foreach (var file in Directory.EnumerateFiles(directory, "*.safetensors").Order(StringComparer.Ordinal))
            description.Append('\n').Append(Path.GetFileName(file)).Append(' ').Append(new FileInfo(file).Length);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(description.ToString())))[..12];
    }

    public void Dispose() => _model.Dispose();
}
