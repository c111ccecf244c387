// A Command that names no runnable program fails validation, before any compute, with the key and the path looked at.
using Microsoft.Extensions.Options;

namespace Rlvr.Plugins.ExternalVerifier;

internal sealed class ProgramValidator(string section) : IValidateOptions<ExternalVerifierOptions>
{
    public ValidateOptionsResult Validate(string? name, ExternalVerifierOptions options)
    {
        if (string.IsNullOrEmpty(options.Command)) return ValidateOptionsResult.Success;
        string? problem = Problem(options.Command);
        return problem is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail($"{section}:Command = '{options.Command}': {problem}");
    }

    /// <summary>Why <paramref name="command"/> cannot be run, or null when it can.</summary>
    public static string? Problem(string command)
    {
        if (command.IndexOfAny(['/', '\\']) >= 0)
        {
            string path = Path.GetFullPath(command);
            return !File.Exists(path) ? $"no such file: {path}"
                : !IsExecutable(path) ? $"{path} is not executable (chmod +x it, or run it through its interpreter)"
                : null;
        }
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        string[] names = OperatingSystem.IsWindows() ? [command, command + ".exe"] : [command];
        return folders.Any(folder => names.Any(n => File.Exists(Path.Combine(folder, n)) && IsExecutable(Path.Combine(folder, n)))) ? null
            : $"no program of that name on PATH ({string.Join(Path.PathSeparator, folders)})";
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
