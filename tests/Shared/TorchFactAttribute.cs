// A test that needs Debian's PyTorch (/usr/bin/python3 with torch): skipped, saying why, where it cannot be imported.
// Linked into every plugin test project (tests/Directory.Build.props).
using System.Diagnostics;

namespace Rlvr.Testing;

public sealed class TorchFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> s_available = new(() =>
    {
        if (!File.Exists(Python)) return false;
        using var probe = Process.Start(new ProcessStartInfo(Python, ["-c", "import torch"]) { RedirectStandardError = true })!;
        probe.StandardError.ReadToEnd();
        probe.WaitForExit();
        return probe.ExitCode == 0;
    });

    /// <summary>Why a test that needs torch is skipped here; null where it can run.</summary>
    public static string? Unavailable => s_available.Value ? null : $"{Python} cannot import torch, so the PyTorch reference cannot run.";

    public TorchFactAttribute() => Skip = Unavailable;

    /// <summary>Runs a reference script with <see cref="Python"/>; its standard output, or a throw that carries its standard error.</summary>
    public static string Run(params string[] arguments)
    {
        using var run = Process.Start(new ProcessStartInfo(Python, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var error = run.StandardError.ReadToEndAsync();
        string output = run.StandardOutput.ReadToEnd();
        run.WaitForExit();
        return run.ExitCode == 0 ? output : throw new InvalidOperationException($"{Python} {string.Join(' ', arguments)} exited with {run.ExitCode}: {error.Result}");
    }
}

/// <summary>A theory that needs Debian's PyTorch; skipped where it cannot be imported, as <see cref="TorchFactAttribute"/>.</summary>
public sealed class TorchTheoryAttribute : TheoryAttribute
{
    public TorchTheoryAttribute() => Skip = TorchFactAttribute.Unavailable;
}
