using Clinical.Fhir.Parsing;
using Clinical.Synthetic;

namespace Clinical.Api.Features.Cohorts;

/// <summary>One patient's resources and, for generated cohorts, the truth.</summary>
public sealed record CohortPatient(
    string PatientReference,
    IReadOnlyList<AcceptedResource> Resources,
    CohortTruth? Truth
);

/// <summary>
/// Where cohort patients come from: a Bulk Data NDJSON folder (with an optional truth.ndjson), or the generator in
/// memory.
/// </summary>
public static class CohortPatients
{
    public static IEnumerable<CohortPatient> FromFolder(
        BulkExportReader reader,
        string folder,
        string? truthPath,
        List<InputIssue> issues,
        CancellationToken cancellationToken
    )
    {
        var truth = truthPath is null ? null : CohortTruth.Read(truthPath);
        foreach (var group in reader.ReadByPatient(BulkExportLayout.Discover(folder), issues, cancellationToken))
            yield return new CohortPatient(
                group.PatientReference,
                group.Resources,
                truth?.GetValueOrDefault(group.PatientReference)
            );
    }

    /// <summary>
    /// The generated cohort's patients, built in parallel (each patient depends only on its index) and returned in
    /// index order.
    /// </summary>
    public static ParallelQuery<CohortPatient> Generated(CohortOptions options, int parallelism)
    {
        var generator = new CohortGenerator(options with { Format = CohortFormat.Ndjson });
        return Enumerable
            .Range(0, options.Patients)
            .AsParallel()
            .AsOrdered()
            .WithDegreeOfParallelism(parallelism)
            .Select(i =>
            {
                var patient = generator.Patient(i);
                var truth = patient.Truth;
                return new CohortPatient(
                    $"Patient/{truth.PatientId}",
                    patient.Resources.Select(r => new AcceptedResource(r, null, $"{r.TypeName}/{r.Id}")).ToList(),
                    new CohortTruth(
                        $"Patient/{truth.PatientId}",
                        truth.HfStatus.ToString().ToLowerInvariant(),
                        truth.OnsetDate,
                        truth.DiagnosisDate,
                        truth.Phenotype?.ToString()
                    )
                );
            });
    }

    /// <summary>A stable split by patient: 60 % train, 20 % dev, 20 % test (FNV-1a of the reference).</summary>
    public static string Split(string patientReference) =>
        (Fnv1a.Hash32(patientReference) % 10) switch
        {
            < 6 => "train",
            < 8 => "dev",
            _ => "test",
        };
}
