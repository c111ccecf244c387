using System.CommandLine;
using Rlvr.Host;
using Rlvr.Host.Configuration;
using Rlvr.Host.Studies;

namespace Rlvr.Cli.Commands;

/// <summary>What every verb shares: the --plugins option, configuration overrides and error reporting.</summary>
internal static class CommandLine
{
    public static readonly Option<string[]> PluginFolders = new("--plugins")
    {
        Description = "A plugin folder, or a folder of plugin folders, to load besides plugins/ beside rlvr (repeatable).",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public const string OverridesHelp = "Any configuration value can be overridden with --Section:Key=value, e.g. --Models:Transformer:Layers=8.";

    /// <summary>The host settings of a verb: its config file, the --plugins folders and the overrides left unmatched by the parser.</summary>
    public static RlvrHostSettings Settings(ParseResult result, string? configFile = null) => new()
    {
        ConfigFile = configFile,
        Overrides = result.UnmatchedTokens.ToList(),
        PluginFolders = result.GetValue(PluginFolders) ?? [],
    };

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
