using Rlvr.Host.Plugins;

namespace Rlvr.Host.Tests.Support;

/// <summary>
/// Builds plugins outside the solution, as a third party would, against the Abstractions DLL only, and lays out a
/// plugin folder with every kind of broken plugin beside working ones:
/// <list type="bullet">
/// <item>BigramPlugin: the sample under Samples/, copied out of the repository and built there;</item>
/// <item>MedianBaselinePlugin: the sample advantage estimator under Samples/, built alike;</item>
/// <item>ThrowingPlugin: its entry point throws;</item>
/// <item>FuturePlugin: built against an incompatible Rlvr.Abstractions 9.0.0;</item>
/// <item>Corrupt: a DLL of random bytes; Empty: a folder without a DLL;</item>
/// <item>CharTokenizerCopy: a second copy of the repository's char tokenizer, so the name "char" is taken twice.</item>
/// </list>
/// </summary>
public sealed class ExternalPluginsFixture : IDisposable
{
    public ExternalPluginsFixture()
    {
        Root = Directory.CreateTempSubdirectory("rlvr-plugins-").FullName;
        string sources = Path.Combine(Root, "src");
        foreach (string sample in new[] { "BigramPlugin", "MedianBaselinePlugin" })
            CopyTree(Path.Combine(Repository.Root, "Samples", sample), Path.Combine(sources, sample));
        CopyTree(Path.Combine(AppContext.BaseDirectory, "Support", "ExternalPlugins"), sources);
        File.WriteAllText(Path.Combine(sources, "external.slnx"), """
            <Solution>
              <Project Path="BigramPlugin/BigramPlugin.csproj" />
              <Project Path="MedianBaselinePlugin/MedianBaselinePlugin.csproj" />
              <Project Path="ThrowingPlugin/ThrowingPlugin.csproj" />
              <Project Path="FutureAbstractions/Rlvr.Abstractions.csproj" />
              <Project Path="FuturePlugin/FuturePlugin.csproj" />
            </Solution>
            """);

        string abstractions = typeof(IRlvrPlugin).Assembly.Location;
        // Four projects restored and built from scratch: on a busy machine that takes more than five minutes.
        var build = ProcessRunner.Dotnet(["build", "external.slnx", "-c", "Release", $"-p:RlvrAbstractions={abstractions}", "--disable-build-servers"],
            sources, TimeSpan.FromMinutes(12));
        if (build.ExitCode != 0) throw new InvalidOperationException($"Building the external plugins failed:\n{build}");

        Plugins = Path.Combine(Root, "plugins");
        foreach (string name in new[] { "BigramPlugin", "MedianBaselinePlugin", "ThrowingPlugin", "FuturePlugin" })
            CopyTree(Path.Combine(sources, name, "bin", "Release", "net10.0"), Path.Combine(Plugins, name));

        Directory.CreateDirectory(Path.Combine(Plugins, "Empty"));
        Directory.CreateDirectory(Path.Combine(Plugins, "Corrupt"));
        File.WriteAllBytes(Path.Combine(Plugins, "Corrupt", "Corrupt.dll"), [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 % 251))]);

        string copy = Path.Combine(Plugins, "CharTokenizerCopy");
        CopyTree(Path.Combine(RlvrHostSettings.DefaultPluginFolder, "Rlvr.Plugins.CharTokenizer"), copy);
        foreach (string file in Directory.GetFiles(copy, "Rlvr.Plugins.CharTokenizer.*"))
            File.Move(file, Path.Combine(copy, Path.GetFileName(file).Replace("Rlvr.Plugins.CharTokenizer", "CharTokenizerCopy")));
    }

    /// <summary>The temporary folder holding sources, builds and plugins.</summary>
    public string Root { get; }

    /// <summary>The folder of plugin folders, working and broken.</summary>
    public string Plugins { get; }

    /// <summary>The sample bigram plugin's folder.</summary>
    public string Bigram => Path.Combine(Plugins, "BigramPlugin");

    /// <summary>The sample advantage estimator's folder.</summary>
    public string MedianBaseline => Path.Combine(Plugins, "MedianBaselinePlugin");

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { } // a plugin assembly may still be mapped; the temp folder is cleaned by the OS
        catch (UnauthorizedAccessException) { }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj") && !from.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
                continue;
            string target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ExternalPluginsCollection : ICollectionFixture<ExternalPluginsFixture>
{
    public const string Name = "External plugins";
}
