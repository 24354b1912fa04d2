namespace Clinical.Api.Hosting;

/// <summary>Settings under "Clinical" (appsettings.json, environment CLINICAL__..., or command-line options).</summary>
public sealed class ClinicalOptions
{
    public const string Section = "Clinical";

    /// <summary>SQLite file used when no connection string is configured.</summary>
    public string Database { get; set; } = Path.Combine("data", "clinical.db");

    /// <summary>
    /// "sqlite" (default: the Database file, or ConnectionStrings:Clinical) or "postgres" (ConnectionStrings:Clinical
    /// required).
    /// </summary>
    public string DatabaseProvider { get; set; } = "sqlite";

    /// <summary>Largest request body accepted, in bytes.</summary>
    public long MaxRequestBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>
    /// Hugging Face folder of a Salamandra/ALIA instruct model for patient summaries; empty = extractive summaries
    /// only.
    /// </summary>
    public string? SummarizerModel { get; set; }

    /// <summary>
    /// The language of every text a clinician reads (RiskAssessment, Flag, CDS card): es, ca, gl or eu. Unset: the
    /// language most of the patient's notes are written in, Spanish when there are none.
    /// </summary>
    public string? Language { get; set; }
}
