using System.Text.Json;
using Clinical.Api.Cli;
using Clinical.Models.Training;
using Clinical.Tests;

namespace Clinical.Api.Tests.Features.Training;

public sealed class TrainingVerbsTests : IDisposable
{
    private static readonly string[] Positive =
    [
        "Disnea de esfuerzo progresiva y ortopnea. Edemas maleolares bilaterales.",
        "Refiere DPN y edemas en MMII. Crepitantes bibasales. Ingurgitación yugular.",
    ];

    private static readonly string[] Negative =
    [
        "Control rutinario de HTA. Asintomática. Tensión bien controlada.",
        "Dolor lumbar mecánico. Sin irradiación. Paracetamol a demanda.",
    ];

    private readonly string _work = Directory.CreateTempSubdirectory("training-verbs-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private string Notes(string name, int count, int offset)
    {
        var path = Path.Combine(_work, name);
        LabelledNotes.Write(
            path,
            Enumerable
                .Range(offset, count)
                .Select(i =>
                    i % 2 == 0
                        ? new LabelledNote($"n{i}", $"{Positive[i / 2 % 2]} Visita {i}.", 1)
                        : new LabelledNote($"n{i}", $"{Negative[i / 2 % 2]} Visita {i}.", 0)
                )
        );
        return path;
    }

    private string TinyConfig()
    {
        var path = Path.Combine(_work, "tiny.json");
        File.WriteAllText(
            path,
            """{"hidden_size": 32, "num_hidden_layers": 1, "num_attention_heads": 4, "intermediate_size": 64}"""
        );
        return path;
    }

    [Fact]
    public async Task Given_labelled_notes_When_finetuned_evaluated_and_classified_Then_folder_report_and_scores_exist()
    {
        var train = Notes("train.jsonl", 24, 0);
        var dev = Notes("dev.jsonl", 8, 100);
        var model = Path.Combine(_work, "model");

        var trained = await Verbs.RunAsync([
            "finetune",
            "--train",
            train,
            "--dev",
            dev,
            "--out",
            model,
            "--from-scratch",
            TinyConfig(),
            "--epochs",
            "3",
            "--batch-size",
            "4",
            "--max-length",
            "48",
            "--lr",
            "3e-3",
            "--vocab-size",
            "300",
            "--device",
            "cpu",
            "--synthetic",
        ]);

        Assert.Equal(Verbs.Success, trained);
        using (var card = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, ModelCard.FileName))))
        {
            Assert.Equal(ModelCard.SyntheticWarning, card.RootElement.GetProperty("warning").GetString());
            Assert.Equal(
                LabelledNotes.Fingerprint(LabelledNotes.Read(train)),
                card.RootElement.GetProperty("data_fingerprint").GetString()
            );
            Assert.Equal(24, card.RootElement.GetProperty("counts").GetProperty("train").GetInt32());
            // Dev alternates positive and negative notes: the temperature was fitted at a 50 % share.
            Assert.Equal(0.5, card.RootElement.GetProperty("calibration").GetProperty("prevalence").GetDouble());
        }

        var report = Path.Combine(_work, "report");
        Assert.Equal(
            Verbs.Success,
            await Verbs.RunAsync(["evaluate", "--model", model, "--data", dev, "--report", report, "--device", "cpu"])
        );
        var html = File.ReadAllText(Path.Combine(report, "report.html"));
        Assert.Equal(3, html.Split("<svg").Length - 1);
        Assert.Contains("Confusion matrix", html, StringComparison.Ordinal);

        var scores = Path.Combine(_work, "scores.jsonl");
        Assert.Equal(
            Verbs.Success,
            await Verbs.RunAsync(["classify", "--model", model, "--input", dev, "--output", scores, "--device", "cpu"])
        );
        var lines = File.ReadAllLines(scores).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(8, lines.Count);
        Assert.Equal("n100", lines[0].GetProperty("id").GetString());
        Assert.All(lines, l => Assert.InRange(l.GetProperty("probability").GetDouble(), 0, 1));
        var positives = lines
            .Where((_, i) => i % 2 == 0)
            .Select(l => l.GetProperty("probability").GetDouble())
            .ToList();
        var negatives = lines
            .Where((_, i) => i % 2 == 1)
            .Select(l => l.GetProperty("probability").GetDouble())
            .ToList();
        Assert.True(positives.Average() > negatives.Average());

        Assert.Equal(
            Verbs.Success,
            await Verbs.RunAsync([
                "calibrate",
                "--model",
                model,
                "--dev",
                dev,
                "--weights-dtype",
                "bf16",
                "--device",
                "cpu",
            ])
        );
        Assert.Contains("\"bfloat16\"", File.ReadAllText(Path.Combine(model, "config.json")), StringComparison.Ordinal);
        var weights = Path.Combine(model, "model.safetensors");
        var tensors = Clinical.Models.Runtime.SafetensorsFile.Open(weights).Entries.Values.ToList();
        Assert.NotEmpty(tensors);
        Assert.All(tensors, e => Assert.Equal("BF16", e.DType));
        using var recalibrated = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, ModelCard.FileName)));
        Assert.Equal(
            "BFloat16",
            recalibrated.RootElement.GetProperty("recalibrated").GetProperty("weights_dtype").GetString()
        );
        Assert.Equal(ModelCard.SyntheticWarning, recalibrated.RootElement.GetProperty("warning").GetString());
    }

    [Fact]
    public async Task Given_a_generated_cohort_When_precisions_are_validated_Then_its_weak_labelled_notes_are_scored()
    {
        var cohort = Path.Combine(_work, "cohort");
        var model = Path.Combine(_work, "model");
        Directory.CreateDirectory(model);
        foreach (var file in Directory.EnumerateFiles(FixtureFiles.PathOf("models", "hf-note-classifier")))
            File.Copy(file, Path.Combine(model, Path.GetFileName(file)));
        var generate = ((string[])["generate-cohort", "--patients", "40", "--seed", "7", "--hf-share", "0.4"]);
        Assert.Equal(Verbs.Success, await Verbs.RunAsync([.. generate, "--out", cohort]));

        var exit = await Verbs.RunAsync([
            "validate-precision",
            "--model",
            model,
            "--data",
            Path.Combine(cohort, "bundles"),
            "--record",
            "fp32",
        ]);

        Assert.Equal(Verbs.Success, exit);
        using var card = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, ModelCard.FileName)));
        var precision = card.RootElement.GetProperty("precision");
        Assert.Equal("cohort/bundles", precision.GetProperty("data").GetString());
        Assert.InRange(precision.GetProperty("notes").GetInt32(), 20, 40);
        Assert.Equal(2, precision.GetProperty("checks").GetArrayLength());
    }

    [Fact]
    public async Task Given_a_baseline_When_evaluating_Then_it_is_measured_without_a_model()
    {
        var path = Path.Combine(_work, "baseline.jsonl");
        LabelledNotes.Write(
            path,
            [
                new LabelledNote("a", "Insuficiencia cardiaca descompensada.", 1),
                new LabelledNote("b", "Sin signos de insuficiencia cardiaca.", 0),
                new LabelledNote("c", "Control de HTA.", 0),
            ]
        );
        Assert.Equal(
            Verbs.Success,
            await Verbs.RunAsync([
                "evaluate",
                "--baseline",
                "negation",
                "--data",
                path,
                "--report",
                Path.Combine(_work, "r"),
            ])
        );
        Assert.Contains(
            "negation baseline",
            File.ReadAllText(Path.Combine(_work, "r", "report.html")),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Given_bad_input_When_running_the_training_verbs_Then_exit_2()
    {
        var broken = Path.Combine(_work, "broken.jsonl");
        File.WriteAllText(broken, "{\"id\": \"x\", \"text\": \"nota\", \"label\": 7}\n");
        var missing = Path.Combine(_work, "missing");

        Assert.Equal(Verbs.InvalidInput, await Verbs.RunAsync(["evaluate", "--baseline", "keyword", "--data", broken]));
        Assert.Equal(Verbs.InvalidInput, await Verbs.RunAsync(["evaluate", "--model", missing, "--data", broken]));
        Assert.Equal(
            Verbs.InvalidInput,
            await Verbs.RunAsync([
                "finetune",
                "--train",
                broken,
                "--dev",
                broken,
                "--out",
                Path.Combine(_work, "m"),
                "--from-scratch",
                "huge",
            ])
        );
        Assert.Equal(
            Verbs.InvalidInput,
            await Verbs.RunAsync([
                "finetune",
                "--train",
                broken,
                "--dev",
                broken,
                "--out",
                Path.Combine(_work, "m"),
                "--from-scratch",
                "small",
            ])
        );
        Assert.Equal(
            Verbs.InvalidInput,
            await Verbs.RunAsync([
                "classify",
                "--model",
                missing,
                "--input",
                broken,
                "--output",
                Path.Combine(_work, "o.jsonl"),
            ])
        );
        Assert.Equal(
            Verbs.InvalidInput,
            await Verbs.RunAsync([
                "evaluate",
                "--model",
                _work,
                "--data",
                Notes("valid.jsonl", 4, 0),
                "--device",
                "tpu",
            ])
        );
    }
}
