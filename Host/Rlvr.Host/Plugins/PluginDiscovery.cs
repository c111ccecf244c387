// Finds plugin folders, loads each in its own load context with McMaster.NETCore.Plugins, and lets its entry
// point register into a scratch service collection, to list its components and catch clashes before any run.
using System.Reflection;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rlvr.Host.Metrics;
using TorchSharp;

namespace Rlvr.Host.Plugins;

/// <summary>Discovers and loads plugins: a failing folder is reported by name and the others still load.</summary>
public sealed class PluginDiscovery(ILogger logger)
{
    // Types the host and every plugin must see as one type. PreferSharedTypes extends this to every assembly
    // the host has loaded, so a Tensor made by a plugin is the host's Tensor.
    private static readonly Type[] s_sharedTypes =
    [
        typeof(IRlvrPlugin), typeof(IServiceCollection), typeof(ServiceCollectionServiceExtensions),
        typeof(IConfiguration), typeof(IOptions<>), typeof(OptionsBuilder<>), typeof(OptionsBuilderConfigurationExtensions),
        typeof(ILogger), typeof(torch),
    ];

    private static Version AbstractionsVersion => typeof(IRlvrPlugin).Assembly.GetName().Version!;

    /// <summary>
    /// Loads every plugin under <paramref name="roots"/>. A root is either a plugin folder (it holds
    /// <c>&lt;FolderName&gt;.dll</c>) or a folder of plugin folders. Folders load in name order, so a clash is
    /// always blamed on the same plugin.
    /// </summary>
    /// <param name="roots">Folders to search, with whether a missing one is an error (explicit) or not (the default folder).</param>
    /// <param name="configuration">Passed to each entry point.</param>
    public PluginSet Discover(IEnumerable<PluginRoot> roots, IConfiguration configuration)
    {
        var loaded = new List<LoadedPlugin>();
        var failed = new List<PluginFailure>();
        var owners = new Dictionary<(ComponentKind, string), LoadedPlugin>();

        foreach (string folder in PluginFolders(roots, failed))
        {
            string name = Path.GetFileName(folder);
            if (loaded.FirstOrDefault(p => p.Name == name) is { } twin)
            {
                failed.Add(new(name, folder, $"a plugin named '{name}' is already loaded from {twin.Folder}"));
                continue;
            }
            try
            {
                var plugin = Load(name, folder, configuration);
                var clashes = plugin.Components.Where(c => owners.ContainsKey((c.Kind, c.Name)) || IsTheHosts(c)).ToList();
                if (clashes.Count > 0)
                {
                    failed.Add(new(name, folder, string.Join("; ", clashes.Select(c =>
                        $"{ComponentCatalog.Describe(c.Kind)} '{c.Name}' is registered by both {(IsTheHosts(c) ? "the host" : owners[(c.Kind, c.Name)].Name)} and {name}"))));
                    continue;
                }
                foreach (var component in plugin.Components) owners[(component.Kind, component.Name)] = plugin;
                loaded.Add(plugin);
                logger.LogDebug("Loaded plugin {Plugin} {Version} from {Folder}", plugin.Name, plugin.Version, folder);
            }
            catch (PluginLoadException e)
            {
                failed.Add(new(name, folder, e.Message));
            }
        }
        foreach (var failure in failed)
            logger.LogWarning("Plugin {Plugin} in {Folder} failed to load: {Reason}", failure.Name, failure.Folder, failure.Reason);
        return new PluginSet(loaded, failed);
    }

    // The host registers its own metrics sinks beside the plugins' components.
    private static bool IsTheHosts(ComponentDescriptor component) =>
        component.Kind == ComponentKind.MetricsSink && RunMetrics.Always.Contains(component.Name);

    private static IEnumerable<string> PluginFolders(IEnumerable<PluginRoot> roots, List<PluginFailure> failed)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            string path = Path.GetFullPath(root.Path);
            if (!Directory.Exists(path))
            {
                if (root.Explicit) failed.Add(new(Path.GetFileName(path), path, "the plugin folder does not exist"));
                continue;
            }
            var folders = IsPluginFolder(path) ? [path] : Directory.GetDirectories(path).Order(StringComparer.Ordinal).ToArray();
            foreach (string folder in folders)
                if (seen.Add(folder)) yield return folder;
        }
    }

    private static bool IsPluginFolder(string path) => File.Exists(Path.Combine(path, Path.GetFileName(path) + ".dll"));

    private static LoadedPlugin Load(string name, string folder, IConfiguration configuration)
    {
        string assemblyPath = Path.Combine(folder, name + ".dll");
        if (!File.Exists(assemblyPath))
            throw new PluginLoadException($"the folder holds no {name}.dll (a plugin folder is named after its main assembly)");

        Assembly assembly;
        try
        {
            var loader = PluginLoader.CreateFromAssemblyFile(assemblyPath, s_sharedTypes, config => config.PreferSharedTypes = true);
            assembly = loader.LoadDefaultAssembly();
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or InvalidOperationException)
        {
            throw new PluginLoadException($"{name}.dll could not be loaded: {FirstLine(e)}");
        }

        CheckAbstractionsVersion(name, assembly);
        var entry = CreateEntry(name, assembly);

        var scratch = new ServiceCollection();
        try
        {
            entry.ConfigureServices(scratch, configuration);
        }
        catch (Exception e)
        {
            throw new PluginLoadException($"its entry point {entry.GetType().FullName}.ConfigureServices threw {e.GetType().Name}: {FirstLine(e)}");
        }
        var components = scratch.Select(d => d.ImplementationInstance).OfType<ComponentDescriptor>().ToList();
        return new LoadedPlugin(name, folder, assembly, entry, components);
    }

    private static void CheckAbstractionsVersion(string name, Assembly assembly)
    {
        var reference = assembly.GetReferencedAssemblies().FirstOrDefault(a => a.Name == typeof(IRlvrPlugin).Assembly.GetName().Name);
        if (reference?.Version is not { } built)
            throw new PluginLoadException($"{name}.dll does not reference Rlvr.Abstractions, so it cannot be an Rlvr plugin");
        if (!IsCompatible(built, AbstractionsVersion))
            throw new PluginLoadException(
                $"it was built against Rlvr.Abstractions {built}, but this host provides {AbstractionsVersion}; rebuild the plugin against Rlvr.Abstractions {AbstractionsVersion.Major}.{AbstractionsVersion.Minor}");
    }

    /// <summary>
    /// A plugin built against <paramref name="built"/> runs on <paramref name="host"/> when the major versions
    /// match (minor too, while the major is 0, as semantic versioning says) and the host is no older.
    /// </summary>
    internal static bool IsCompatible(Version built, Version host) =>
        built.Major == host.Major && (host.Major > 0 || built.Minor == host.Minor) && built <= host;

    private static IRlvrPlugin CreateEntry(string name, Assembly assembly)
    {
        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or TypeLoadException or FileNotFoundException or FileLoadException)
        {
            throw new PluginLoadException($"its types could not be loaded: {FirstLine(e)}");
        }
        var entries = types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IRlvrPlugin).IsAssignableFrom(t)).ToList();
        if (entries.Count != 1)
            throw new PluginLoadException(entries.Count == 0
                ? $"{name}.dll has no public class that implements IRlvrPlugin"
                : $"{name}.dll has {entries.Count} classes that implement IRlvrPlugin ({string.Join(", ", entries.Select(t => t.FullName))}); a plugin has exactly one");
        return Instantiate(entries[0]);
    }

    /// <summary>Creates the plugin's entry point with its public parameterless constructor.</summary>
    /// <exception cref="Exception">It has none, or it threw: the message says which, with the constructor's own exception.</exception>
    internal static IRlvrPlugin Instantiate(Type entry)
    {
        if (entry.GetConstructor(Type.EmptyTypes) is not { IsPublic: true })
            throw new PluginLoadException($"its entry point {entry.FullName} could not be created: it needs a public parameterless constructor");
        try
        {
            return (IRlvrPlugin)Activator.CreateInstance(entry)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is { } thrown)
        {
            throw new PluginLoadException($"its entry point {entry.FullName}'s constructor threw {thrown.GetType().Name}: {FirstLine(thrown)}");
        }
    }

    private static string FirstLine(Exception e) => e.Message.Split('\n')[0].Trim();

    private sealed class PluginLoadException(string message) : Exception(message);
}

/// <summary>A folder to search for plugins.</summary>
/// <param name="Path">The folder: a plugin folder, or a folder of plugin folders.</param>
/// <param name="Explicit">Whether the user named it, so that a missing folder is an error rather than nothing to load.</param>
public sealed record PluginRoot(string Path, bool Explicit);
