using Clinical.Api.Cli;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Training;

namespace Clinical.Api.Tests.Features.Training;

public sealed class PretrainVerbTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("pretrain-verb-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

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
    public async Task Given_json_lines_and_a_text_file_When_pretraining_Then_a_masked_lm_folder_is_written()
    {
        var jsonl = Path.Combine(_work, "notes.jsonl");
        File.WriteAllLines(
            jsonl,
            Enumerable
                .Range(0, 30)
                .Select(i => $$"""{"id": "n{{i}}", "text": "Disnea de esfuerzo y edemas en MMII. Visita {{i}}."}""")
        );
        var text = Path.Combine(_work, "prosa.txt");
        File.WriteAllText(text, "Sin ortopnea ni DPN.\n\nControl de HTA sin cambios.\n\nNiega dolor torácico.\n");
        var output = Path.Combine(_work, "encoder");

        var exit = await Verbs.RunAsync([
            "pretrain",
            "--data",
            jsonl,
            "--data",
            text,
            "--out",
            output,
            "--from-scratch",
            TinyConfig(),
            "--epochs",
            "1",
            "--batch-size",
            "4",
            "--max-length",
            "32",
            "--vocab-size",
            "300",
            "--held-out-share",
            "0.1",
            "--device",
            "cpu",
        ]);

        Assert.Equal(Verbs.Success, exit);
        Assert.Equal(["RobertaForMaskedLM"], RobertaConfig.Load(Path.Combine(output, "config.json")).Architectures);
        Assert.True(File.Exists(Path.Combine(output, MaskedLmTrainer.CardFileName)));
        Assert.Contains("prosa.txt: 3 texts", File.ReadAllText(Path.Combine(output, MaskedLmTrainer.CardFileName)));
    }

    [Fact]
    public async Task Given_bad_input_When_pretraining_Then_exit_2()
    {
        var missing = Path.Combine(_work, "missing.jsonl");
        var broken = Path.Combine(_work, "broken.jsonl");
        File.WriteAllText(broken, "{\"id\": \"x\"}\n");

        Assert.Equal(
            Verbs.InvalidInput,
            await Verbs.RunAsync([
                "pretrain",
                "--data",
                missing,
                "--out",
                Path.Combine(_work, "a"),
                "--from-scratch",
                "mini",
            ])
        );
        Assert.Equal(
            Verbs.InvalidInput,
            await Verbs.RunAsync([
                "pretrain",
                "--data",
                broken,
                "--out",
                Path.Combine(_work, "b"),
                "--from-scratch",
                "mini",
            ])
        );
        Assert.Equal(
            Verbs.InvalidInput,
            await Verbs.RunAsync([
                "pretrain",
                "--data",
                broken,
                "--out",
                Path.Combine(_work, "c"),
                "--from-scratch",
                "huge",
            ])
        );
    }
}
