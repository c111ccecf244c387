namespace Rlvr.Host.Plugins;

/// <summary>Every plugin folder the host looked at: those that loaded, and those that failed with their reasons.</summary>
public sealed record PluginSet(IReadOnlyList<LoadedPlugin> Loaded, IReadOnlyList<PluginFailure> Failed)
{
    /// <summary>Every registered component with the plugin that registered it.</summary>
    public IEnumerable<(LoadedPlugin Plugin, ComponentDescriptor Component)> Components =>
        Loaded.SelectMany(plugin => plugin.Components.Select(component => (plugin, component)));
}
