using System.CommandLine;

namespace Clinical.Api.Cli;

internal static class CommonOptions
{
    public static Option<string?> Database() => new("--database")
    {
        Description = "SQLite file where results are stored (default data/clinical.db; or set ConnectionStrings__Clinical).",
    };

    /// <summary>Configuration overrides from verb options, in the same keys appsettings uses.</summary>
    public static string[] ToConfigurationArgs(string? database) =>
        database is null ? [] : [$"--{Hosting.ClinicalOptions.Section}:Database={database}"];
}
