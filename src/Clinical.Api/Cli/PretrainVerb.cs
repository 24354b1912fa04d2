using System.CommandLine;
using System.Text.Json;
using Clinical.Api.Features.Training;
using Clinical.Models.Training;

namespace Clinical.Api.Cli;

/// <summary>
/// `pretrain`: masked-language-model pretraining of a RoBERTa encoder on unlabelled text (JSON Lines "text", plain text
/// files, FHIR folders), from scratch or continuing a Hugging Face folder; the result is a base for `finetune --base`.
/// </summary>
internal static class PretrainVerb
{
    public static Command Create()
    {
        var defaults = new PretrainOptions();
        var data = new Option<string[]>("--data")
        {
            Description =
                "Unlabelled text, repeatable: JSON Lines with a \"text\" field (.jsonl, .ndjson), a plain text file "
                + "(blank-line-separated paragraphs), or a FHIR folder (bundles or Bulk NDJSON; its notes).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<string>("--out")
        {
            Description =
                "Folder for the Hugging Face RobertaForMaskedLM (config, weights, tokenizer, pretraining.json).",
            Required = true,
        };
        var baseModel = new Option<string?>("--base")
        {
            Description = "RoBERTa Hugging Face folder (safetensors) to continue pretraining; its tokenizer is kept.",
        };
        var fromScratch = new Option<string?>("--from-scratch")
        {
            Description =
                "Pretrain from scratch: mini (4x128), small (4x256), base (12x768) or a JSON config file; a byte-level "
                + "BPE tokenizer is trained on the texts first.",
        };
        var epochs = new Option<int>("--epochs")
        {
            Description = "Epochs.",
            DefaultValueFactory = _ => defaults.Epochs,
        };
        var lr = new Option<double?>("--lr")
        {
            Description = "Peak learning rate (default 5e-4 from scratch, 1e-4 with --base).",
        };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Sequences per micro-batch.",
            DefaultValueFactory = _ => defaults.BatchSize,
        };
        var accumulation = new Option<int>("--gradient-accumulation")
        {
            Description = "Micro-batches per optimizer step.",
            DefaultValueFactory = _ => defaults.GradientAccumulation,
        };
        var maxLength = new Option<int>("--max-length")
        {
            Description = "Tokens per packed sequence, <s> and </s> included.",
            DefaultValueFactory = _ => defaults.MaxLength,
        };
        var maskProbability = new Option<double>("--mask-probability")
        {
            Description = "Share of tokens predicted (80 % <mask>, 10 % random, 10 % kept).",
            DefaultValueFactory = _ => defaults.MaskProbability,
        };
        var wholeWords = new Option<bool>("--whole-word-masking")
        {
            Description = "Mask whole words (all their tokens) instead of single tokens.",
        };
        var vocabulary = new Option<int>("--vocab-size")
        {
            Description = "BPE vocabulary size when pretraining from scratch.",
            DefaultValueFactory = _ => defaults.VocabularySize,
        };
        var heldOut = new Option<double>("--held-out-share")
        {
            Description = "Share of texts held out (by a hash of the text) to measure masked-token loss each epoch.",
            DefaultValueFactory = _ => defaults.HeldOutShare,
        };
        var seed = new Option<long>("--seed")
        {
            Description = "Seed: same texts, options and seed give the same model on CPU.",
            DefaultValueFactory = _ => defaults.Seed,
        };
        var device = CommonOptions.Device("bf16 on GPU with fp32 master weights");
        var resume = new Option<bool>("--resume")
        {
            Description = "Continue an interrupted run in --out from its checkpoint (same command otherwise).",
        };
        var logEvery = new Option<int>("--log-every")
        {
            Description = "Progress line every N optimizer steps (and every 30 s) when stderr is not a terminal.",
            DefaultValueFactory = _ => defaults.LogEverySteps,
        };
        var checkpointEvery = new Option<int>("--checkpoint-every")
        {
            Description = "Resumable checkpoint every N optimizer steps.",
            DefaultValueFactory = _ => defaults.CheckpointEverySteps,
        };
        var command = new Command(
            "pretrain",
            "Masked-language-model pretraining of a RoBERTa encoder on unlabelled text; writes a Hugging Face folder "
                + "for finetune --base."
        )
        {
            data,
            output,
            baseModel,
            fromScratch,
            epochs,
            lr,
            batchSize,
            accumulation,
            maxLength,
            maskProbability,
            wholeWords,
            vocabulary,
            heldOut,
            seed,
            device,
            resume,
            logEvery,
            checkpointEvery,
        };
        command.SetAction(
            (result, cancellationToken) =>
                VerbHost.SendAsync(
                    async (mediator, ct) =>
                    {
                        var options = defaults with
                        {
                            Epochs = result.GetValue(epochs),
                            LearningRate = result.GetValue(lr),
                            BatchSize = result.GetValue(batchSize),
                            GradientAccumulation = result.GetValue(accumulation),
                            MaxLength = result.GetValue(maxLength),
                            MaskProbability = result.GetValue(maskProbability),
                            WholeWordMasking = result.GetValue(wholeWords),
                            VocabularySize = result.GetValue(vocabulary),
                            HeldOutShare = result.GetValue(heldOut),
                            Seed = result.GetValue(seed),
                            LogEverySteps = result.GetValue(logEvery),
                            CheckpointEverySteps = result.GetValue(checkpointEvery),
                        };
                        var outcome = await mediator.Send(
                            new PretrainEncoder(
                                result.GetValue(data) ?? [],
                                result.GetValue(output)!,
                                result.GetValue(baseModel),
                                result.GetValue(fromScratch),
                                options,
                                result.GetValue(device)!,
                                result.GetValue(resume)
                            ),
                            ct
                        );
                        await result.InvocationConfiguration.Output.WriteLineAsync(
                            JsonSerializer.Serialize(outcome, ModelCard.Json)
                        );
                    },
                    cancellationToken
                )
        );
        return command;
    }
}
