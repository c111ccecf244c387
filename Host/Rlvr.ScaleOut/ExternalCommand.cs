using System.Diagnostics;

namespace Rlvr.ScaleOut;

/// <summary>What an external command printed and how it exited.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error)
{
    /// <summary>Exit code 0.</summary>
    public bool Succeeded => ExitCode == 0;
}

/// <summary>Runs a scheduler's command-line tools (sbatch, sinfo, ...) and waits for them.</summary>
/// <param name="program">The program, found on PATH.</param>
/// <param name="arguments">Its arguments, passed without a shell.</param>
/// <param name="input">Written to its standard input, then closed; null for none.</param>
public delegate CommandResult ExternalCommand(string program, IReadOnlyList<string> arguments, string? input = null);

/// <summary>The real <see cref="ExternalCommand"/>.</summary>
public static class ExternalCommands
{
    /// <summary>Starts <paramref name="program"/>; a program that is not installed exits 127 with the reason, as a shell would.</summary>
    public static CommandResult Run(string program, IReadOnlyList<string> arguments, string? input = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null, UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (input is not null)
            {
                process.StandardInput.Write(input);
                process.StandardInput.Close();
            }
            process.WaitForExit();
            return new CommandResult(process.ExitCode, output.Result, error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new CommandResult(127, "", $"{program}: {e.Message}");
        }
    }

    /// <summary>Whether <paramref name="program"/> is on PATH.</summary>
    public static bool Exists(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, program)));
}
