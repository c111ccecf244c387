// A study with several bases (StudyBases) on the command line: each base is a study of its own, selected with
// --Run:Base=<base>, so that run, workers, resume, submit and report handle one base exactly as they handle any study.
// What is added here: going through the bases in turn, checking all of them before any compute, and the report that
// puts them side by side.
using Microsoft.Extensions.Configuration;
using Rlvr.Host;
using Rlvr.Host.Configuration;
using Rlvr.Reporting;
using Rlvr.Host.Runs;
using Rlvr.Host.Studies;

namespace Rlvr.Cli.Commands;

internal static class BaseStudies
{
    /// <summary>The settings of each base, in the order they run (StudyBases.RunOrder), when the settings' configuration lists bases and selects none; otherwise null.</summary>
    public static IReadOnlyList<(string Base, RlvrHostSettings Settings)>? Of(RlvrHostSettings settings)
    {
        var configuration = RlvrConfiguration.Build(settings.ConfigFile, settings.Overrides);
        return StudyBases.IsSet(configuration)
            ? [.. StudyBases.RunOrder(configuration).Select(b => (b, settings with { Overrides = [.. settings.Overrides, $"--{StudyBases.SelectKey}={b}"] }))]
            : null;
    }

    /// <summary>Every base's configuration errors, each prefixed by its base: what <c>rlvr validate</c> lists and <c>rlvr run</c> refuses.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<(string Base, RlvrHostSettings Settings)> bases) =>
        [.. bases.SelectMany(b =>
        {
            var builder = CommandLine.HostBuilder(b.Settings with { LogToStudyFolder = false });
            using var host = builder.Build();
            return new StudyRunner(builder).Validate(host).Select(e => $"{StudyBases.Section}:{b.Base} → {e}");
        })];

    /// <summary>
    /// Keeps the study's configuration, all bases, in its folder (<c>&lt;RunRoot&gt;/&lt;study&gt;</c>, which holds every
    /// base's folder): what <c>rlvr resume</c> and <c>rlvr report</c> read. Returns that folder.
    /// </summary>
    public static string Save(RlvrHostSettings settings)
    {
        var configuration = RlvrConfiguration.Build(settings.ConfigFile, settings.Overrides);
        string folder = RunPaths.StudyFolder(configuration);
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, StudyRunner.StudyFile), ConfigurationJson.Serialize(configuration));
        return folder;
    }

    /// <summary>
    /// Writes the dose-response report of the study in <paramref name="folder"/> from every base's folder that holds
    /// runs, each base's own report first when <paramref name="eachBase"/> is given; null when the folder's study.json
    /// lists no bases (a study of one base, or none).
    /// </summary>
    public static (string Markdown, string Html)? WriteReport(string folder, Func<StudyData, (string Markdown, string Html)>? eachBase = null)
    {
        if (Configuration(folder) is not { } configuration || StudyBases.Names(configuration).Count == 0) return null;
        var bases = new List<BaseStudy>();
        foreach (string name in StudyBases.Names(configuration))
        {
            string baseFolder = Path.Combine(folder, name);
            if (!Directory.Exists(baseFolder)) continue;
            var study = StudyLoader.Load(baseFolder);
            eachBase?.Invoke(study);
            bases.Add(new BaseStudy(name, study));
        }
        if (bases.Count == 0) throw new InvalidDataException($"{folder} holds no base's folder yet ({string.Join(", ", StudyBases.Names(configuration))})");
        var options = configuration.GetSection(DoseResponseOptions.Section).Get<DoseResponseOptions>() ?? new DoseResponseOptions();
        return DoseResponseReport.Write(folder, bases, options);
    }

    private static IConfigurationRoot? Configuration(string folder)
    {
        string file = Path.Combine(folder, StudyRunner.StudyFile);
        return File.Exists(file) ? new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false).Build() : null;
    }
}
