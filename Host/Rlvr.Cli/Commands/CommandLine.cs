using System.CommandLine;
using Rlvr.Host;
using Rlvr.Host.Configuration;
using Rlvr.Host.Runs;
using Rlvr.Host.Studies;
using Rlvr.Index;
using Rlvr.Reporting;

namespace Rlvr.Cli.Commands;

/// <summary>What every verb shares: the --plugins and --runs options, configuration overrides and error reporting.</summary>
internal static class CommandLine
{
    public static readonly Option<string[]> PluginFolders = new("--plugins")
    {
        Description = "A plugin folder, or a folder of plugin folders, to load besides plugins/ beside rlvr (repeatable).",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The runs folder, one flag for every verb that reads or writes runs; the same setting as Run:RunRoot.</summary>
    public static Option<string?> RunsFolder() => new("--runs")
    {
        Description = $"The folder that holds the studies, relative to the working directory; the same as --{RunRootKey}=<folder>. Default: {new RunOptions().RunRoot}.",
        HelpName = "folder",
    };

    public const string OverridesHelp =
        "Any configuration value can be overridden with --Section:Key=value, e.g. --Models:Transformer:Layers=8; a list is set whole " +
        "with commas, e.g. --Seeds=1,2,3.";

    private static readonly string RunRootKey = $"{RunOptions.Section}:{nameof(RunOptions.RunRoot)}";

    /// <summary>The configuration overrides of this command line, taken out of it by <see cref="TakeOverrides"/> before parsing.</summary>
    public static IReadOnlyList<string> Overrides { get; private set; } = [];

    /// <summary>
    /// Splits <paramref name="args"/> into what the parser reads and the configuration overrides: <c>--Section:Key=value</c>,
    /// <c>--Section:Key value</c> and <c>--Section=value</c> with Section a configuration section. Taken out here, every
    /// other unknown flag stays an error of the parser, and help shows no catch-all argument.
    /// </summary>
    public static string[] TakeOverrides(string[] args)
    {
        var sections = RlvrConfiguration.HostSections.Concat(RlvrConfiguration.ComponentRoots).ToList();
        var rest = new List<string>();
        var overrides = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string token = args[i];
            if (token == "--")
            {
                rest.AddRange(args[i..]);
                break;
            }
            string key = token.StartsWith("--", StringComparison.Ordinal) ? token[2..].Split('=')[0] : "";
            bool hasValue = token.Contains('=');
            // A section alone only as written in the docs (--Seeds=1,2): --plugins=<folder> is the option.
            if (key.Contains(':') || (hasValue && sections.Contains(key, StringComparer.Ordinal)))
            {
                overrides.Add(token);
                if (!hasValue && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) overrides.Add(args[++i]);
            }
            else rest.Add(token);
        }
        Overrides = overrides;
        return [.. rest];
    }

    /// <summary>The engine's host builder with what rlvr adds to every run: the run index kept current and the reports' options.</summary>
    public static RlvrHostBuilder HostBuilder(RlvrHostSettings settings) =>
        RlvrHostBuilder.Create(settings).ConfigureServices(services => services.AddRunIndex().AddReporting());

    /// <summary>The host settings of a verb: its config file, the --plugins folders, the overrides and --runs as Run:RunRoot.</summary>
    public static RlvrHostSettings Settings(ParseResult result, string? configFile = null, Option<string?>? runs = null)
    {
        var overrides = Overrides.ToList();
        if (runs is not null && result.GetValue(runs) is string folder)
        {
            RequireOneRunsFolder(folder, Overrides);
            overrides.Add($"--{RunRootKey}={folder}");
        }
        return new()
        {
            ConfigFile = configFile,
            Overrides = overrides,
            PluginFolders = result.GetValue(PluginFolders) ?? [],
        };
    }

    /// <summary>
    /// The runs folder of a verb that reads runs: --runs, else Run:RunRoot from the overrides or the environment, else the default.
    /// Overrides other than Run:RunRoot are refused unless <paramref name="overridesApply"/>: they would be ignored.
    /// </summary>
    public static string RunsFolder(ParseResult result, Option<string?> runs, bool overridesApply)
    {
        if (!overridesApply) RequireNoOverrides(result, except: RunRootKey);
        string? configured = RlvrConfiguration.Build(null, Overrides)[RunRootKey];
        if (result.GetValue(runs) is not string folder) return configured ?? new RunOptions().RunRoot;
        RequireOneRunsFolder(folder, Overrides);
        return folder;
    }

    /// <summary>Refuses configuration overrides (but <paramref name="except"/>) on a verb they mean nothing to.</summary>
    public static void RequireNoOverrides(ParseResult result, string? except = null)
    {
        var ignored = Overrides.Where(o => o.StartsWith("--", StringComparison.Ordinal) && (except is null || !IsKey(o, except))).ToList();
        if (ignored.Count > 0)
            throw new ConfigurationErrorsException($"{string.Join(", ", ignored.Select(o => $"'{o}'"))}: `rlvr {result.CommandResult.Command.Name}` takes no configuration overrides" +
                                                   (except is null ? "" : $" but --{except}"));
    }

    private static void RequireOneRunsFolder(string folder, IReadOnlyList<string> overrides)
    {
        if (overrides.Any(o => IsKey(o, RunRootKey)))
            throw new ConfigurationErrorsException($"--runs '{folder}' and --{RunRootKey} both name the runs folder; give one");
    }

    private static bool IsKey(string token, string key) => token.StartsWith("--", StringComparison.Ordinal) && token[2..].Split('=')[0].Equals(key, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The exit code of a run stopped by a signal, 128 + its number as shells report it: 130 after Ctrl+C (SIGINT),
    /// 143 after SIGTERM. Non-zero, so that a scheduler counts the task unfinished.
    /// </summary>
    public static int StoppedExitCode { get; set; } = 128 + 2;

    /// <summary>Runs a verb's body, turning configuration errors into a message and exit code 2, failed runs into a list of them and exit code 1, and a stop into <see cref="StoppedExitCode"/>.</summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (ConfigurationErrorsException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (StudyRunsFailedException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine("Each run's status.json holds its error, and the study's log (logs/ in its folder) the whole trace.");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("stopped: every finished step up to the last checkpoint is kept; run the same command again, or `rlvr resume <run folder>`, to continue");
            return StoppedExitCode;
        }
    }
}
