using System.CommandLine;
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
        var training = TrainingOptions.Create(
            defaults,
            new TrainingOptions.Wording(
                Base: "RoBERTa Hugging Face folder (safetensors) to continue pretraining; its tokenizer is kept.",
                FromScratch: "Pretrain from scratch: mini (4x128), small (4x256), base (12x768) or a JSON config file; "
                    + "a byte-level BPE tokenizer is trained on the texts first.",
                LearningRate: "Peak learning rate (default 5e-4 from scratch, 1e-4 with --base).",
                BatchSize: "Sequences per micro-batch.",
                MaxLength: "Tokens per packed sequence, <s> and </s> included.",
                Seed: "Seed: same texts, options and seed give the same model on CPU.",
                LogEvery: "Progress line every N optimizer steps (and every 30 s) when stderr is not a terminal."
            )
        );
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
        };
        training.AddStartAndSchedule(command);
        command.Options.Add(maskProbability);
        command.Options.Add(wholeWords);
        command.Options.Add(vocabulary);
        command.Options.Add(heldOut);
        training.AddRun(command);
        command.Options.Add(training.LogEvery);
        command.Options.Add(checkpointEvery);
        TrainingOptions.SetAction(
            command,
            result =>
            {
                var options = defaults with
                {
                    Epochs = result.GetValue(training.Epochs),
                    LearningRate = result.GetValue(training.LearningRate),
                    BatchSize = result.GetValue(training.BatchSize),
                    GradientAccumulation = result.GetValue(training.GradientAccumulation),
                    MaxLength = result.GetValue(training.MaxLength),
                    MaskProbability = result.GetValue(maskProbability),
                    WholeWordMasking = result.GetValue(wholeWords),
                    VocabularySize = result.GetValue(vocabulary),
                    HeldOutShare = result.GetValue(heldOut),
                    Seed = result.GetValue(training.Seed),
                    LogEverySteps = result.GetValue(training.LogEvery),
                    CheckpointEverySteps = result.GetValue(checkpointEvery),
                };
                return new PretrainEncoder(
                    result.GetValue(data) ?? [],
                    result.GetValue(output)!,
                    result.GetValue(training.Base),
                    result.GetValue(training.FromScratch),
                    options,
                    result.GetValue(training.Device)!,
                    result.GetValue(training.Resume)
                );
            }
        );
        return command;
    }
}
