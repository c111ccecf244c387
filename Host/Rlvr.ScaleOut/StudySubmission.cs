// What every scheduler back end needs to run a study as an indexed array: the study's configuration frozen at
// submission, its tasks (seeds x arms), and the rlvr command each task runs with its index. A back end turns this into
// its own job description; nothing here knows a scheduler.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rlvr.Host;
using Rlvr.Host.Configuration;
using Rlvr.Host.Runs;
using Rlvr.Host.Studies;

namespace Rlvr.ScaleOut;

/// <summary>A validated study, ready to be handed to a scheduler as one array task per <see cref="StudyTask"/>.</summary>
/// <param name="Name">The study's name (<c>Run:Name</c>).</param>
/// <param name="RunRoot">The absolute run root every task writes under.</param>
/// <param name="Configuration">The resolved configuration as JSON, with the absolute run root: the study.json each task reads.</param>
/// <param name="Tasks">The array's tasks; task i is <c>rlvr run study.json --index i</c>.</param>
/// <param name="Rlvr">The command that starts rlvr on a compute node, e.g. <c>[dotnet, /opt/rlvr/rlvr.dll]</c>.</param>
/// <param name="PluginFolders">Absolute --plugins folders the tasks load besides rlvr's own plugins/.</param>
public sealed record StudySubmission(string Name, string RunRoot, string Configuration, IReadOnlyList<StudyTask> Tasks,
    IReadOnlyList<string> Rlvr, IReadOnlyList<string> PluginFolders)
{
    /// <summary>The study's folder, <c>&lt;RunRoot&gt;/&lt;Name&gt;</c>.</summary>
    public string StudyFolder => Path.Combine(RunRoot, Name);

    /// <summary>The frozen configuration the tasks run: <c>&lt;study folder&gt;/study.json</c>.</summary>
    public string StudyFile => Path.Combine(StudyFolder, StudyRunner.StudyFile);

    /// <summary>The arguments of task <paramref name="index"/> after <see cref="Rlvr"/>; <paramref name="index"/> is the scheduler's variable.</summary>
    public IReadOnlyList<string> RunArguments(string index) =>
        ["run", StudyFile, "--index", index, .. PluginFolders.SelectMany(folder => new[] { "--plugins", folder })];

    /// <summary>Validates the study the settings describe and freezes it for submission; writes nothing.</summary>
    /// <param name="rlvr">The command that starts rlvr on the nodes; null for the one running now.</param>
    /// <exception cref="ConfigurationErrorsException">The study fails validation.</exception>
    public static StudySubmission Prepare(RlvrHostSettings settings, IReadOnlyList<string>? rlvr = null)
    {
        // The run root is made absolute first, so that every node, whatever its working directory, writes to the same place.
        string runRoot = Path.GetFullPath(RlvrConfiguration.Build(settings.ConfigFile, settings.Overrides)[$"{RunOptions.Section}:{nameof(RunOptions.RunRoot)}"] ?? new RunOptions().RunRoot);
        var builder = RlvrHostBuilder.Create(settings with { Overrides = [.. settings.Overrides, $"--{RunOptions.Section}:{nameof(RunOptions.RunRoot)}={runRoot}"] });
        using var host = builder.Build();
        var runner = new StudyRunner(builder);
        var errors = runner.Validate(host);
        if (errors.Count > 0) throw new ConfigurationErrorsException(errors);
        var options = host.Services.GetRequiredService<IOptions<RunOptions>>().Value;
        return new StudySubmission(options.Name, runRoot, ConfigurationJson.Serialize(builder.Configuration), runner.Tasks(),
            rlvr ?? CurrentCommand(), [.. settings.PluginFolders.Select(Path.GetFullPath)]);
    }

    /// <summary>Writes study.json into the study folder, where the tasks read it.</summary>
    public void WriteStudyFile() => AtomicFile.WriteAllText(StudyFile, Configuration);

    /// <summary>One line a task, for a job script's header and a dry run: <c>index  arm  seed</c>, and the RL seed where there is one.</summary>
    public IEnumerable<string> TaskTable() =>
        Tasks.Select(t => $"{t.Index,5}  {t.Arm,-16}  seed {t.Seed}{(t.RlSeed is int rl ? $"  RL seed {rl}" : "")}").Prepend($"{"index",5}  {"arm",-16}  seed");

    // rlvr as this process was started: the apphost itself, or the dotnet host with rlvr.dll.
    private static string[] CurrentCommand()
    {
        string process = Environment.ProcessPath ?? "dotnet";
        string entry = System.Reflection.Assembly.GetEntryAssembly()?.Location ?? "";
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && entry.Length > 0 ? [process, entry] : [process];
    }
}
