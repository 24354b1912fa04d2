using System.Diagnostics;
using System.Text;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using Clinical.Synthetic;
using Hl7.Fhir.Model;

namespace Clinical.DevTools.Benchmarks;

/// <summary>Resident memory after a number of notes classified: flat means per-batch tensors are all freed.</summary>
public sealed record MemorySample(int NotesClassified, double ResidentMegabytes);

public sealed record NoteClassifierBenchmarkResult(
    string Model,
    string Target,
    int Notes,
    double Seconds,
    double NotesPerSecond,
    IReadOnlyList<MemorySample> Memory
);

/// <summary>
/// Classifies synthetic notes (from the cohort generator) in chunks and samples resident memory after each.
/// </summary>
public static class NoteClassifierBenchmark
{
    public static NoteClassifierBenchmarkResult Run(
        string modelFolder,
        string device,
        int notes,
        Precision precision = Precision.Fp32,
        int chunk = 500
    )
    {
        using var classifier = NoteClassifier.Load(modelFolder, ComputeTarget.ForInference(device, precision));
        var texts = SyntheticNotes(notes);
        var samples = new List<MemorySample> { new(0, ResidentMegabytes()) };
        var watch = Stopwatch.StartNew();
        for (var done = 0; done < texts.Count; done += chunk)
        {
            classifier.Classify(texts.Skip(done).Take(chunk).ToList());
            samples.Add(new MemorySample(Math.Min(done + chunk, texts.Count), ResidentMegabytes()));
        }
        var seconds = watch.Elapsed.TotalSeconds;
        return new NoteClassifierBenchmarkResult(
            modelFolder,
            classifier.Target.ToString(),
            texts.Count,
            seconds,
            texts.Count / seconds,
            samples
        );
    }

    private static List<string> SyntheticNotes(int count)
    {
        var notes = new List<string>(count);
        foreach (
            var patient in new CohortGenerator(
                new CohortOptions(Patients: Math.Max(10, count / 8), Seed: 11, HfShare: 0.2)
            ).Patients()
        )
        {
            foreach (var document in patient.Resources.OfType<DocumentReference>())
            {
                if (document.Content[0].Attachment.Data is { } data)
                    notes.Add(Encoding.UTF8.GetString(data));
                if (notes.Count == count)
                    return notes;
            }
        }
        return notes;
    }

    private static double ResidentMegabytes()
    {
        using var self = Process.GetCurrentProcess();
        return Math.Round(self.WorkingSet64 / 1e6, 1);
    }
}
