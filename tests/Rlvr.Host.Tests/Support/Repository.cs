namespace Rlvr.Host.Tests.Support;

/// <summary>Paths of the repository the tests were built from.</summary>
internal static class Repository
{
    /// <summary>The folder that holds Framework.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration these tests were built in.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name is var name && name is "Debug" or "Release" ? name : "Debug";

    /// <summary>The rlvr command built alongside these tests.</summary>
    public static string CliAssembly => Path.Combine(Root, "Host", "Rlvr.Cli", "bin", Configuration, "net10.0", "rlvr.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Framework.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Framework.sln above {AppContext.BaseDirectory}.");
    }
}
