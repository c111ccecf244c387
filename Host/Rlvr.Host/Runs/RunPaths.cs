using Microsoft.Extensions.Configuration;
using Rlvr.Host.Configuration;

namespace Rlvr.Host.Runs;

/// <summary>Where a run's files go: <c>&lt;RunRoot&gt;/&lt;study&gt;/&lt;arm&gt;/seed-&lt;n&gt;/</c>.</summary>
public static class RunPaths
{
    /// <summary>The arm of a run that only pretrains and evaluates: the base model.</summary>
    public const string BaseArm = "base";

    /// <summary>Files every run folder holds: the resolved configuration and one metrics record a line.</summary>
    public const string ConfigFile = "config.json", MetricsFile = "metrics.jsonl";

    /// <summary>A run folder is named for its seed: <c>seed-&lt;n&gt;</c>.</summary>
    public const string SeedPrefix = "seed-";

    /// <summary>The run folder that <paramref name="configuration"/> describes.</summary>
    /// <exception cref="ConfigurationErrorsException">The Run section cannot be read.</exception>
    public static string RunFolder(IConfiguration configuration, string arm = BaseArm)
    {
        var run = Options(configuration);
        return Path.GetFullPath(Path.Combine(run.RunRoot, run.Name, arm, $"{SeedPrefix}{run.Seed}"));
    }

    /// <summary>The study's folder, <c>&lt;RunRoot&gt;/&lt;study&gt;</c>: the study log, study.json and the report.</summary>
    /// <exception cref="ConfigurationErrorsException">The Run section cannot be read.</exception>
    public static string StudyFolder(IConfiguration configuration)
    {
        var run = Options(configuration);
        return Path.GetFullPath(Path.Combine(run.RunRoot, run.Name));
    }

    private static RunOptions Options(IConfiguration configuration)
    {
        try
        {
            return configuration.GetSection(RunOptions.Section).Get<RunOptions>() ?? new RunOptions();
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigurationErrorsException($"{RunOptions.Section}: {e.Message}");
        }
    }
}
