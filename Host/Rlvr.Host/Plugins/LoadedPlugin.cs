using System.Reflection;

namespace Rlvr.Host.Plugins;

/// <summary>A plugin whose assembly loaded and whose entry point registered its components.</summary>
/// <param name="Name">The plugin's name: its folder's name and its main assembly's file name.</param>
/// <param name="Folder">The folder it was loaded from.</param>
/// <param name="Assembly">Its main assembly.</param>
/// <param name="Entry">Its entry point.</param>
/// <param name="Components">What its entry point registered.</param>
public sealed record LoadedPlugin(string Name, string Folder, Assembly Assembly, IRlvrPlugin Entry, IReadOnlyList<ComponentDescriptor> Components)
{
    /// <summary>The main assembly's informational version, else its assembly version.</summary>
    public string Version =>
        Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? Assembly.GetName().Version?.ToString() ?? "?";
}

/// <summary>A plugin folder that could not be loaded, and why.</summary>
/// <param name="Name">The folder's name.</param>
/// <param name="Folder">The folder.</param>
/// <param name="Reason">What went wrong, in words a plugin author can act on.</param>
public sealed record PluginFailure(string Name, string Folder, string Reason);
