using System.CommandLine;
using System.Text.Json;
using Clinical.Api.Features.Training;
using Clinical.Models.Text;
using Clinical.Models.Training;
using Mediator;

namespace Clinical.Api.Cli;

/// <summary>
/// `finetune`: train the HF note classifier from labelled notes (JSON Lines) or FHIR cohorts (weak labels),
/// calibrated on dev.
/// </summary>
internal static class FinetuneVerb
{
    public static Command Create()
    {
        var defaults = new FineTuneOptions();
        var train = CommonOptions.LabelledNotes("--train", "Training data");
        var dev = CommonOptions.LabelledNotes(
            "--dev",
            "Dev data, used for early stopping, calibration and the threshold"
        );
        var output = new Option<string>("--out")
        {
            Description =
                "Folder for the Hugging Face model (config.json, model.safetensors, tokenizer, model-card.json).",
            Required = true,
        };
        var baseModel = new Option<string?>("--base")
        {
            Description = "Pretrained RoBERTa Hugging Face folder (safetensors) to fine-tune.",
        };
        var fromScratch = new Option<string?>("--from-scratch")
        {
            Description =
                "Train from scratch: mini (4x128), small (4x256, CPU default), base (12x768), or a JSON config file; "
                + "a byte-level BPE tokenizer is trained on --train.",
        };
        var epochs = new Option<int>("--epochs")
        {
            Description = "Epochs.",
            DefaultValueFactory = _ => defaults.Epochs,
        };
        var lr = new Option<double?>("--lr")
        {
            Description = "Peak learning rate (default 5e-5 with --base, 5e-4 from scratch).",
        };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Examples per micro-batch.",
            DefaultValueFactory = _ => defaults.BatchSize,
        };
        var accumulation = new Option<int>("--gradient-accumulation")
        {
            Description = "Micro-batches per optimizer step.",
            DefaultValueFactory = _ => defaults.GradientAccumulation,
        };
        var maxLength = new Option<int>("--max-length")
        {
            Description = "Tokens per example, <s> and </s> included (the first tokens are kept).",
            DefaultValueFactory = _ => defaults.MaxLength,
        };
        var windows = new Option<WindowSelection>("--windows")
        {
            Description =
                "Windows trained on, and read at inference (stored in the card): First, All or Mentions (centred on "
                + "HF mentions); a note's score is its most positive window's.",
            DefaultValueFactory = _ => defaults.Windows,
        };
        var maxWindows = new Option<int>("--max-windows")
        {
            Description = "The most windows per note with --windows Mentions.",
            DefaultValueFactory = _ => defaults.MaxWindows,
        };
        var seed = new Option<long>("--seed")
        {
            Description = "Seed: same data, options and seed give the same model on CPU.",
            DefaultValueFactory = _ => defaults.Seed,
        };
        var device = CommonOptions.Device("bf16 on GPU with fp32 master weights");
        var resume = new Option<bool>("--resume")
        {
            Description = "Continue an interrupted run in --out from its checkpoint (same command otherwise).",
        };
        var dropout = new Option<double?>("--dropout")
        {
            Description = "Override hidden, attention and classifier dropout.",
        };
        var patience = new Option<int>("--patience")
        {
            Description = "Epochs without a better dev AUPRC before stopping.",
            DefaultValueFactory = _ => defaults.Patience,
        };
        var sensitivity = new Option<double>("--target-sensitivity")
        {
            Description = "Sensitivity the operating threshold is chosen for on dev.",
            DefaultValueFactory = _ => defaults.TargetSensitivity,
        };
        var vocabulary = new Option<int>("--vocab-size")
        {
            Description = "BPE vocabulary size when training from scratch.",
            DefaultValueFactory = _ => defaults.VocabularySize,
        };
        var gapDays = CommonOptions.GapDays();
        var logEvery = new Option<int>("--log-every")
        {
            Description = "Progress line every N optimizer steps when stderr is not a terminal.",
            DefaultValueFactory = _ => defaults.LogEverySteps,
        };
        var synthetic = new Option<bool>("--synthetic")
        {
            Description = "Mark the model card as trained on synthetic data (automatic for product-generated cohorts).",
        };
        var command = new Command(
            "finetune",
            "Fine-tune or train from scratch the heart-failure note classifier; "
                + "writes a calibrated Hugging Face folder with model-card.json."
        )
        {
            train,
            dev,
            output,
            baseModel,
            fromScratch,
            epochs,
            lr,
            batchSize,
            accumulation,
            maxLength,
            windows,
            maxWindows,
            seed,
            device,
            resume,
            dropout,
            patience,
            sensitivity,
            vocabulary,
            gapDays,
            logEvery,
            synthetic,
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
                            Windows = result.GetValue(windows),
                            MaxWindows = result.GetValue(maxWindows),
                            Seed = result.GetValue(seed),
                            Dropout = result.GetValue(dropout),
                            Patience = result.GetValue(patience),
                            TargetSensitivity = result.GetValue(sensitivity),
                            VocabularySize = result.GetValue(vocabulary),
                            LogEverySteps = result.GetValue(logEvery),
                        };
                        var card = await mediator.Send(
                            new FinetuneClassifier(
                                result.GetValue(train)!,
                                result.GetValue(dev)!,
                                result.GetValue(output)!,
                                result.GetValue(baseModel),
                                result.GetValue(fromScratch),
                                options,
                                result.GetValue(device)!,
                                result.GetValue(resume),
                                result.GetValue(synthetic),
                                result.GetValue(gapDays)
                            ),
                            ct
                        );
                        await result.InvocationConfiguration.Output.WriteLineAsync(
                            JsonSerializer.Serialize(card, ModelCard.Json)
                        );
                    },
                    cancellationToken
                )
        );
        return command;
    }
}
