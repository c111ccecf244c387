// The software that wrote a run or a report: Rlvr's informational version, which the SDK stamps with the git commit it was
// built from (0.1.0+<commit>), the same string `rlvr --version` prints; TorchSharp; the .NET runtime; the OS.
using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Rlvr.Host.Runs;

/// <summary>Versions of Rlvr and what it runs on.</summary>
/// <param name="Commit">The git commit of the build; null when the build did not record one.</param>
public sealed record SoftwareVersion(string Rlvr, string? Commit, string TorchSharp, string Runtime, string OperatingSystem)
{
    public static SoftwareVersion Current { get; } = Read();

    private static SoftwareVersion Read()
    {
        string rlvr = Informational(typeof(SoftwareVersion).Assembly);
        int plus = rlvr.IndexOf('+');
        return new SoftwareVersion(rlvr, plus >= 0 ? rlvr[(plus + 1)..] : null, Informational(typeof(torch).Assembly),
            RuntimeInformation.FrameworkDescription, RuntimeInformation.OSDescription);
    }

    private static string Informational(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "unknown";
}
