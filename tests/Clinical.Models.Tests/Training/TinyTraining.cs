using Clinical.Models.Training;

namespace Clinical.Models.Tests.Training;

/// <summary>Tiny labelled notes and a tiny model shape, so a whole training run takes a second or two on CPU.</summary>
internal static class TinyTraining
{
    private static readonly string[] Positive =
    [
        "Disnea de esfuerzo progresiva y ortopnea de dos almohadas. Edemas maleolares bilaterales.",
        "Refiere DPN y edemas en MMII. Crepitantes bibasales. Ingurgitación yugular.",
        "Aumento de peso de 3 kg en una semana, disnea a moderados esfuerzos y edemas con fóvea.",
        "Ortopnea y disnea paroxística nocturna. NT-proBNP elevado. Crepitantes en bases.",
    ];

    private static readonly string[] Negative =
    [
        "Control rutinario de HTA. Asintomática. Tensión bien controlada con enalapril.",
        "Dolor lumbar mecánico tras esfuerzo. Sin irradiación. Paracetamol a demanda.",
        "Revisión de DM2. HbA1c 6,8 %. Sin cambios en el tratamiento. Dieta y ejercicio.",
        "Catarro de vías altas de tres días. Afebril. Auscultación normal. Sintomático.",
    ];

    public static IReadOnlyList<LabelledNote> Notes(int count, int offset = 0) =>
        Enumerable
            .Range(offset, count)
            .Select(i =>
                i % 2 == 0
                    ? new LabelledNote($"n{i}", $"{Positive[i / 2 % Positive.Length]} Visita {i}.", 1)
                    : new LabelledNote($"n{i}", $"{Negative[i / 2 % Negative.Length]} Visita {i}.", 0)
            )
            .ToList();

    public static TrainingData Data() => new(Notes(24), Notes(8, offset: 100), "tiny test notes", Synthetic: true);

    /// <summary>A 2-layer, 32-wide RoBERTa shape written to a JSON file for --from-scratch.</summary>
    public static string ConfigFile(string directory)
    {
        var path = Path.Combine(directory, "tiny-config.json");
        File.WriteAllText(
            path,
            """{"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 64,"""
                + """ "max_position_embeddings": 130}"""
        );
        return path;
    }

    public static FineTuneOptions Options =>
        new()
        {
            Epochs = 3,
            BatchSize = 4,
            GradientAccumulation = 2,
            MaxLength = 64,
            Seed = 7,
            VocabularySize = 300,
            LearningRate = 3e-3,
            Patience = 5,
            CheckpointEverySteps = 2,
            LogEverySteps = 1,
        };
}

/// <summary>A temp folder removed after the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("clinical-training-").FullName;

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
