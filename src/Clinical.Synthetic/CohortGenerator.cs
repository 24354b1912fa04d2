using System.Diagnostics;

namespace Clinical.Synthetic;

/// <summary>
/// Entry point of the generate-cohort verb and of test helpers. <see cref="Patients"/> yields the
/// patients in memory; <see cref="WriteTo"/> writes the same patients to a folder, generating and
/// serializing small batches in parallel and writing them in index order, so memory stays flat and
/// output is byte-identical for the same options.
/// </summary>
public sealed class CohortGenerator
{
    private const int BatchSize = 128;
    private readonly CohortOptions _options;

    public CohortGenerator(CohortOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    public CohortOptions Options => _options;

    public ReferenceStyle References =>
        _options.Format == CohortFormat.Bundles ? ReferenceStyle.UrnUuid : ReferenceStyle.Relative;

    /// <summary>The patients, one at a time, in index order.</summary>
    public IEnumerable<SyntheticPatient> Patients()
    {
        for (var index = 0; index < _options.Patients; index++)
        {
            yield return Patient(index);
        }
    }

    /// <summary>Patient number <paramref name="index"/> of this cohort; independent of every other patient.</summary>
    public SyntheticPatient Patient(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var person = Population.Sample(_options, index);
        var history = Trajectories.Build(person, _options);
        return FhirResources.Build(history, _options, References);
    }

    /// <summary>The summary of the cohort without writing it: the same patients as <see cref="WriteTo"/>.</summary>
    public CohortSummary Summarise()
    {
        var tally = new CohortTally(_options);
        foreach (var patient in Patients())
        {
            tally.Add(patient);
        }
        return tally.Build();
    }

    /// <summary>Writes the cohort under <paramref name="directory"/> and returns its summary.</summary>
    public CohortSummary WriteTo(
        string directory,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var tally = new CohortTally(_options);
        using var folder = new CohortFolder(directory, _options);
        var parallel = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = Environment.ProcessorCount,
        };
        var writing = Task.CompletedTask;
        for (var first = 0; first < _options.Patients; first += BatchSize)
        {
            var count = Math.Min(BatchSize, _options.Patients - first);
            var patients = new SyntheticPatient[count];
            var serialized = new SerializedPatient[count];
            var offset = first;
            Parallel.For(
                0,
                count,
                parallel,
                () => new FhirJsonBytes(),
                (i, _, json) =>
                {
                    patients[i] = Patient(offset + i);
                    serialized[i] = Serialize(patients[i], json);
                    return json;
                },
                json => json.Dispose()
            );
            writing.GetAwaiter().GetResult();
            writing = Task.Run(
                () =>
                {
                    for (var i = 0; i < count; i++)
                    {
                        folder.Write(serialized[i]);
                        tally.Add(patients[i]);
                    }
                    progress?.Report(offset + count);
                },
                cancellationToken
            );
        }
        writing.GetAwaiter().GetResult();
        var summary = tally.Build();
        folder.Complete(summary);
        return summary;
    }

    private SerializedPatient Serialize(SyntheticPatient patient, FhirJsonBytes json)
    {
        if (_options.Format == CohortFormat.Bundles)
        {
            return new SerializedPatient(patient.Truth, json.Serialize(patient.ToBundle(), indented: true), null);
        }
        var lines = new List<(string, byte[])>(patient.Resources.Count);
        foreach (var resource in patient.Resources)
        {
            lines.Add((resource.TypeName, json.Serialize(resource, indented: false)));
        }
        Debug.Assert(lines.Count == patient.Resources.Count);
        return new SerializedPatient(patient.Truth, null, lines);
    }
}
