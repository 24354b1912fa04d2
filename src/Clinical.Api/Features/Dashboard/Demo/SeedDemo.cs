using Clinical.Api.Features.Screening;
using Clinical.Synthetic;
using Mediator;

namespace Clinical.Api.Features.Dashboard.Demo;

/// <summary>
/// Fills an empty demo database: the fixture bundles and a generated synthetic cohort, each screened through the
/// same ScreenBundle request as $hf-screen, as of the cohort's date. Synthetic data only.
/// </summary>
public sealed record SeedDemo(string FixtureBundles, int Patients, long Seed) : IRequest<DemoSeeded>;

public sealed record DemoSeeded(int Screened, int Flagged);

public sealed class SeedDemoHandler(IMediator mediator) : IRequestHandler<SeedDemo, DemoSeeded>
{
    /// <summary>
    /// HF is enriched (a quarter of patients) so that a few hundred patients give a worklist worth seeing.
    /// </summary>
    private const double DemoHfShare = 0.25;

    public async ValueTask<DemoSeeded> Handle(SeedDemo request, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"clinical-demo-{Guid.NewGuid():N}");
        try
        {
            var options = new CohortOptions(request.Patients, request.Seed, HfShare: DemoHfShare);
            new CohortGenerator(options).WriteTo(folder, progress: null, cancellationToken);
            var files = Directory
                .EnumerateFiles(request.FixtureBundles, "*.json")
                .Concat(Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories))
                .Where(f => !Path.GetFileName(f).Equals("summary.json", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList();
            int screened = 0,
                flagged = 0;
            foreach (var file in files)
            {
                var outcome = await mediator.Send(
                    new ScreenBundle(
                        await File.ReadAllBytesAsync(file, cancellationToken),
                        Path.GetFileName(file),
                        options.AsOfDate,
                        "demo-seed",
                        Hosting.PatientAccess.AnyPatient
                    ),
                    cancellationToken
                );
                screened += outcome.Screenings.Count;
                flagged += outcome.Screenings.Count(s => s.Flag is not null);
            }
            return new DemoSeeded(screened, flagged);
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }
}
