using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Rlvr.Host.Configuration;
using Rlvr.Host.Logging;
using Rlvr.Host.Studies;

namespace Rlvr.Host.Runs;

/// <summary>
/// Where a run's files go: <c>&lt;RunRoot&gt;/&lt;study&gt;/&lt;arm&gt;/seed-&lt;n&gt;/</c>, and for an arm run with an RL
/// seed <c>&lt;RunRoot&gt;/&lt;study&gt;/&lt;arm&gt;/seed-&lt;n&gt;-rl-&lt;r&gt;/</c>.
/// </summary>
public static class RunPaths
{
    /// <summary>The arm of a run that only pretrains and evaluates: the base model.</summary>
    public const string BaseArm = "base";

    /// <summary>Files every run folder holds: the resolved configuration and one metrics record a line.</summary>
    public const string ConfigFile = "config.json", MetricsFile = "metrics.jsonl";

    /// <summary>Files every finished run folder holds: the model's weights and their evaluation.</summary>
    public const string ModelFile = "model.bin", EvaluationFile = "evaluation.json";

    /// <summary>
    /// What the tools above the engine keep beside the study folders and the arm folders: the run index in the run root;
    /// a study's report (markdown, HTML and its figures) and the Slurm jobs' logs in the study folder. The engine owns
    /// the layout, so they are named here and no study or arm takes them.
    /// </summary>
    public const string IndexFile = "index.db", ReportMarkdownFile = "report.md", ReportHtmlFile = "report.html", ReportFigureFolder = "report",
        SlurmFolder = "slurm";

    /// <summary>A run folder is named for its seed: <c>seed-&lt;n&gt;</c>, with <c>-rl-&lt;r&gt;</c> after it for an RL seed.</summary>
    public const string SeedPrefix = "seed-", RlSeedInfix = "-rl-";

    /// <summary>The name of a run folder: <c>seed-&lt;n&gt;</c>, or <c>seed-&lt;n&gt;-rl-&lt;r&gt;</c>.</summary>
    public static string RunFolderName(int seed, int? rlSeed = null) =>
        rlSeed is int rl ? $"{SeedPrefix}{seed}{RlSeedInfix}{rl}" : $"{SeedPrefix}{seed}";

    /// <summary>A unit of a study in words, for the console: "seed 1", or "seed 1, RL seed 2".</summary>
    public static string UnitName(int seed, int? rlSeed = null) => rlSeed is int rl ? $"seed {seed}, RL seed {rl}" : $"seed {seed}";

    /// <summary>The seed and RL seed a run folder's name gives, or null for any other name (a folder moved aside, say).</summary>
    public static (int Seed, int? RlSeed)? ParseRunFolderName(string name)
    {
        var match = s_runFolderName.Match(name);
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int seed)) return null;
        if (!match.Groups[2].Success) return (seed, null);
        return int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int rl) ? (seed, rl) : null;
    }

    private static readonly Regex s_runFolderName = new($"^{SeedPrefix}([0-9]+)(?:{RlSeedInfix}([0-9]+))?$", RegexOptions.CultureInvariant);

    /// <summary>
    /// What a name from configuration that becomes a folder (<c>Run:Name</c>, an arm) must match: one path segment,
    /// never <c>.</c> or <c>..</c>, never hidden.
    /// </summary>
    public const string NamePattern = "^[A-Za-z0-9][A-Za-z0-9._-]*$";

    /// <summary>What the run root holds besides study folders: a study may not take these names.</summary>
    public static IReadOnlyList<string> RunRootEntries { get; } = [IndexFile];

    /// <summary>What a study folder holds besides arm folders: an arm may not take these names, nor the base's.</summary>
    public static IReadOnlyList<string> StudyFolderEntries { get; } =
        [BaseArm, RlvrLogging.Folder, StudyRunner.StudyFile, ReportFigureFolder, ReportMarkdownFile, ReportHtmlFile, SlurmFolder];

    /// <summary>
    /// Why <paramref name="name"/> cannot name a folder beside the <paramref name="taken"/> ones, or null when it can.
    /// Names compare case-insensitively, as some file systems do.
    /// </summary>
    public static string? Unusable(string name, IReadOnlyList<string> taken)
    {
        if (!Regex.IsMatch(name, NamePattern))
            return "it names a folder: use letters, digits, '.', '_' or '-', starting with a letter or digit";
        if (taken.FirstOrDefault(t => string.Equals(t, name, StringComparison.OrdinalIgnoreCase)) is { } clash)
            return $"'{clash}' is the study's own; call it something else (reserved: {string.Join(", ", taken)})";
        return null;
    }

    /// <summary>Why <paramref name="arm"/> cannot name an arm's folder in the study folder, naming its key; null when it can.</summary>
    public static string? ArmNameError(string arm) =>
        Unusable(arm, StudyFolderEntries) is { } why ? $"{RlvrHostBuilder.ArmsSection}:{arm}: {why}" : null;

    /// <summary>The run folder that <paramref name="configuration"/> describes.</summary>
    /// <exception cref="ConfigurationErrorsException">The Run section cannot be read, or the study's or arm's name is no folder name.</exception>
    public static string RunFolder(IConfiguration configuration, string arm = BaseArm)
    {
        var run = Options(configuration);
        if (arm != BaseArm && ArmNameError(arm) is { } error) throw new ConfigurationErrorsException(error);
        // The base has no RL seed: every RL seed of an arm starts from the one base of its seed.
        return Path.GetFullPath(Path.Combine(StudyFolder(run), arm, RunFolderName(run.Seed, arm == BaseArm ? null : run.RlSeed)));
    }

    /// <summary>
    /// The study's folder, <c>&lt;RunRoot&gt;/&lt;study&gt;</c>, or of one base of a study with bases
    /// <c>&lt;RunRoot&gt;/&lt;study&gt;/&lt;base&gt;</c>: the study log, study.json and the report.
    /// </summary>
    /// <exception cref="ConfigurationErrorsException">The Run section cannot be read, or the study's name is no folder name.</exception>
    public static string StudyFolder(IConfiguration configuration) => StudyFolder(Options(configuration));

    private static string StudyFolder(RunOptions run) =>
        Path.GetFullPath(string.IsNullOrEmpty(run.Base) ? Path.Combine(run.RunRoot, run.Name) : Path.Combine(run.RunRoot, run.Name, run.Base));

    /// <summary>The run root a study folder lies in: its parent, or for one base of a study with bases the parent of that study's folder.</summary>
    public static string RunRootOf(string studyFolder, IConfiguration configuration) =>
        Path.GetDirectoryName(string.IsNullOrEmpty(Options(configuration).Base) ? studyFolder : Path.GetDirectoryName(studyFolder)!)!;

    // Checked here too, not only by validation: a path is built from Run:Name before the configuration is validated (the study log).
    private static RunOptions Options(IConfiguration configuration)
    {
        RunOptions run;
        try
        {
            run = configuration.GetSection(RunOptions.Section).Get<RunOptions>() ?? new RunOptions();
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigurationErrorsException($"{RunOptions.Section}: {e.Message}");
        }
        if (Unusable(run.Name, RunRootEntries) is { } why)
            throw new ConfigurationErrorsException($"{RunOptions.Section}:{nameof(RunOptions.Name)} = '{run.Name}': {why}");
        return run;
    }
}
