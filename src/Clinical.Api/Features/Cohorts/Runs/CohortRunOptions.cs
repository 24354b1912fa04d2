namespace Clinical.Api.Features.Cohorts.Runs;

/// <summary>
/// Settings under "Clinical:Cohorts": where HTTP cohort runs may read and write, and the job's sizes.
/// </summary>
public sealed class CohortRunOptions
{
    public const string Section = "Clinical:Cohorts";

    /// <summary>
    /// Folders (and their subfolders) that $hf-screen-cohort may read; an input outside them is refused. None = the
    /// operation accepts no input. The command line is not limited (its user names the files).
    /// </summary>
    public List<string> InputFolders { get; set; } = [];

    /// <summary>Where $hf-screen-cohort runs write their outputs, one folder per run id.</summary>
    public string OutputFolder { get; set; } = Path.Combine("data", "cohort-runs");

    /// <summary>Patients screened and committed together (one engine batch, one database transaction).</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>Size of a Bulk export shard (its lines): the unit of work a run resumes or hands out.</summary>
    public long ShardBytes { get; set; } = Clinical.Fhir.Parsing.BulkExportReader.BucketBytes;

    /// <summary>Bundle files per shard when the input is a folder of Bundles.</summary>
    public int FilesPerShard { get; set; } = 500;

    /// <summary>Threads for parsing, extraction and rules (default: the machine's cores).</summary>
    public int Parallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Seconds between progress lines when stderr is not a terminal.</summary>
    public double ProgressSeconds { get; set; } = 10;
}
