// A test that needs Debian's PyTorch (/usr/bin/python3 with torch): skipped, saying why, where it cannot be imported.
using System.Diagnostics;

namespace Rlvr.Plugins.Llama.Tests.Support;

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

    public TorchFactAttribute()
    {
        if (!s_available.Value) Skip = $"{Python} cannot import torch, so the reference cannot be rerun; the committed fixtures are still checked.";
    }
}
