// One running verifier program: its stdin and stdout carry the protocol's lines, its stderr goes to the log line by
// line. Stopping kills the program and every process it started, so nothing outlives the run.
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Rlvr.Plugins.ExternalVerifier;

internal sealed class VerifierProcess : IDisposable
{
    private static readonly TimeSpan s_grace = TimeSpan.FromSeconds(1);   // for a clean exit once stdin closes
    private readonly Process _process;

    private VerifierProcess(Process process) => _process = process;

    /// <summary>Starts <paramref name="command"/> with <paramref name="arguments"/>, passed as they are (no shell).</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The program could not be started.</exception>
    public static VerifierProcess Start(string command, IEnumerable<string> arguments, ILogger logger)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) logger.LogInformation("{Command}: {Line}", command, line.Data); };
        process.Start();
        process.BeginErrorReadLine();
        process.StandardInput.AutoFlush = false;
        return new VerifierProcess(process);
    }

    /// <summary>Writes <paramref name="request"/> as one line and reads one line back; null when the program closed its output.</summary>
    /// <exception cref="TimeoutException">No line came back within <paramref name="timeout"/>.</exception>
    /// <exception cref="IOException">The program stopped reading (it exited).</exception>
    public string? Exchange(string request, TimeSpan timeout)
    {
        // Run off this thread so that a program that reads nothing or answers nothing costs the timeout, not a hang.
        var exchange = Task.Run(async () =>
        {
            await _process.StandardInput.WriteAsync(request + "\n");
            await _process.StandardInput.FlushAsync();
            return await _process.StandardOutput.ReadLineAsync();
        });
        return exchange.WaitAsync(timeout).GetAwaiter().GetResult();
    }

    /// <summary>How the program ended, for the log; waits briefly for it to end after closing its output.</summary>
    public string Ending() =>
        _process.WaitForExit(s_grace) ? $"exited with code {_process.ExitCode}" : "closed its output without exiting";

    /// <summary>Kills the program at once: after a failure, nothing it still writes may be read.</summary>
    public void Kill()
    {
        KillTree();
        _process.Dispose();
    }

    /// <summary>Closes the program's input, gives it a moment to exit, then kills it.</summary>
    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It exited already.
        }
        if (!_process.WaitForExit(s_grace)) KillTree();
        _process.Dispose();
    }

    private void KillTree()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(s_grace);
        }
        catch (InvalidOperationException)
        {
            // It exited already.
        }
    }
}
