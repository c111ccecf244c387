using System.CommandLine;
using Rlvr.Host;
using Rlvr.Host.Plugins;

namespace Rlvr.Cli.Commands;

/// <summary><c>rlvr plugins</c>: every plugin found, its components, and every plugin that failed and why.</summary>
internal static class PluginsCommand
{
    public static Command Create()
    {
        var strict = new Option<bool>("--strict") { Description = "Exit with code 1 when any plugin failed to load." };
        var command = new Command("plugins", "List the plugins found: assembly, version, folder and components; then every plugin that failed to load and why.")
        {
            strict,
        };
        command.SetAction(result => CommandLine.Run(() =>
        {
            CommandLine.RequireNoOverrides(result);
            var builder = CommandLine.HostBuilder(CommandLine.Settings(result));
            using var logger = builder.Logger;
            Print(builder.Plugins, Console.Out);
            return result.GetValue(strict) && builder.Plugins.Failed.Count > 0 ? 1 : 0;
        }));
        return command;
    }

    internal static void Print(PluginSet plugins, TextWriter output)
    {
        output.WriteLine($"{plugins.Loaded.Count} plugin(s) loaded, {plugins.Failed.Count} failed.");
        foreach (var plugin in plugins.Loaded)
        {
            output.WriteLine();
            output.WriteLine($"{plugin.Name} {plugin.Version}");
            output.WriteLine($"  folder: {plugin.Folder}");
            foreach (var component in plugin.Components.OrderBy(c => c.Kind).ThenBy(c => c.Name, StringComparer.Ordinal))
            {
                string section = component.ConfigSection is null ? "" : $"  [{component.ConfigSection}]";
                output.WriteLine($"  {ComponentCatalog.Describe(component.Kind),-20} {component.Name,-20}{section}");
            }
        }
        if (plugins.Failed.Count == 0) return;
        output.WriteLine();
        output.WriteLine("Failed:");
        foreach (var failure in plugins.Failed)
        {
            output.WriteLine($"  {failure.Name}");
            output.WriteLine($"    folder: {failure.Folder}");
            output.WriteLine($"    reason: {failure.Reason}");
        }
    }
}
