namespace Rlvr.Host;

/// <summary>What a command line gives the host: the config file, overrides, plugin folders and a run folder for logs.</summary>
public sealed record RlvrHostSettings
{
    /// <summary>The JSON config file, or null for defaults, environment and overrides only.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Command-line overrides, <c>--Section:Key=value</c>.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>Plugin folders named with <c>--plugins</c>, searched after the default folder and the configured ones.</summary>
    public IReadOnlyList<string> PluginFolders { get; init; } = [];

    /// <summary>Whether to search the <c>plugins/</c> folder beside the executable.</summary>
    public bool UseDefaultPluginFolder { get; init; } = true;

    /// <summary>Whether to log to a rolling file in the study folder the configuration describes (each run also logs to its own folder).</summary>
    public bool LogToStudyFolder { get; init; }

    /// <summary>The default plugin folder: <c>plugins/</c> beside the executable.</summary>
    public static string DefaultPluginFolder => Path.Combine(AppContext.BaseDirectory, "plugins");
}
