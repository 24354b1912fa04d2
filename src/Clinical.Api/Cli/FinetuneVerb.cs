using System.CommandLine;
using Clinical.Api.Features.Training;
using Clinical.Models.Text;
using Clinical.Models.Training;

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
        var training = TrainingOptions.Create(
            defaults,
            new TrainingOptions.Wording(
                Base: "Pretrained RoBERTa Hugging Face folder (safetensors) to fine-tune.",
                FromScratch: "Train from scratch: mini (4x128), small (4x256, CPU default), base (12x768), or a JSON "
                    + "config file; a byte-level BPE tokenizer is trained on --train.",
                LearningRate: "Peak learning rate (default 5e-5 with --base, 5e-4 from scratch).",
                BatchSize: "Examples per micro-batch.",
                MaxLength: "Tokens per example, <s> and </s> included (the first tokens are kept).",
                Seed: "Seed: same data, options and seed give the same model on CPU.",
                LogEvery: "Progress line every N optimizer steps when stderr is not a terminal."
            )
        );
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
        var marking = new Option<MentionMarking>("--mention-marking")
        {
            Description =
                "None, or Assertions: each mention the language layer finds is preceded by a marker naming how it "
                + "stands ([negado], [familiar]...); stored in the card, applied at inference.",
            DefaultValueFactory = _ => defaults.MentionMarking,
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
        };
        training.AddStartAndSchedule(command);
        command.Options.Add(windows);
        command.Options.Add(maxWindows);
        command.Options.Add(marking);
        training.AddRun(command);
        command.Options.Add(dropout);
        command.Options.Add(patience);
        command.Options.Add(sensitivity);
        command.Options.Add(vocabulary);
        command.Options.Add(gapDays);
        command.Options.Add(training.LogEvery);
        command.Options.Add(synthetic);
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
                    Windows = result.GetValue(windows),
                    MaxWindows = result.GetValue(maxWindows),
                    MentionMarking = result.GetValue(marking),
                    Seed = result.GetValue(training.Seed),
                    Dropout = result.GetValue(dropout),
                    Patience = result.GetValue(patience),
                    TargetSensitivity = result.GetValue(sensitivity),
                    VocabularySize = result.GetValue(vocabulary),
                    LogEverySteps = result.GetValue(training.LogEvery),
                };
                return new FinetuneClassifier(
                    result.GetValue(train)!,
                    result.GetValue(dev)!,
                    result.GetValue(output)!,
                    result.GetValue(training.Base),
                    result.GetValue(training.FromScratch),
                    options,
                    result.GetValue(training.Device)!,
                    result.GetValue(training.Resume),
                    result.GetValue(synthetic),
                    result.GetValue(gapDays)
                );
            }
        );
        return command;
    }
}
