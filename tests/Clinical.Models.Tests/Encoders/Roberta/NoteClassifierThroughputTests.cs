using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using Clinical.Models.Tests.Text;

namespace Clinical.Models.Tests.Encoders.Roberta;

/// <summary>libtorch's thread count is process-wide: these tests change it, so they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideThreads
{
    public const string Name = "libtorch process-wide threads";
}

[Collection(ProcessWideThreads.Name)]
public sealed class NoteClassifierThroughputTests : IDisposable
{
    private readonly TinyRoberta _tiny = new();

    public void Dispose()
    {
        CpuThreads.Configure(null);
        _tiny.Dispose();
    }

    private IReadOnlyList<PatientScore?> ClassifyCohort(CpuMode mode)
    {
        CpuThreads.Configure(null, mode);
        using var classifier = NoteClassifier.Load(
            _tiny.Directory,
            ComputeTarget.ForInference("cpu", Precision.Fp32), // applies the thread plan
            new NoteClassifierOptions { BatchSize = 2 }
        );
        // 24 patients of one to three notes: a dozen forward passes and more.
        var patients = Enumerable
            .Range(0, 24)
            .Select(
                IReadOnlyList<string> (p) =>
                    ClinicalTexts
                        .Corpus.Concat([ClinicalTexts.Tricky, "Niega disnea."])
                        .Skip(p % 5)
                        .Take(1 + p % 3)
                        .ToList()
            )
            .ToList();
        return classifier.ClassifyPatients(patients);
    }

    [Fact]
    public void Given_throughput_mode_When_a_cohort_batch_is_classified_Then_passes_side_by_side_score_alike()
    {
        var latency = ClassifyCohort(CpuMode.Latency);
        var throughput = ClassifyCohort(CpuMode.Throughput);

        Assert.Equal(1, CpuThreads.Applied);
        Assert.Equal(Environment.ProcessorCount, CpuThreads.SideBySide);
        Assert.Equal(latency.Count, throughput.Count);
        for (var p = 0; p < latency.Count; p++)
        {
            Assert.Equal(latency[p]!.Probability, throughput[p]!.Probability, 1e-5);
            Assert.Equal(
                latency[p]!.Notes.Select(n => n.Probability),
                throughput[p]!.Notes.Select(n => n.Probability),
                (a, b) => Math.Abs(a - b) < 1e-5
            );
        }
        Assert.True(latency.Select(p => p!.Probability).Distinct().Count() > 3, "patients must score differently");
    }
}
