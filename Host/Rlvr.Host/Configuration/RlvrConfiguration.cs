// The configuration of a run, lowest precedence first: the JSON file, RLVR_-prefixed environment variables
// (RLVR_Models__Transformer__Layers=8), then command-line overrides (--Models:Transformer:Layers=8).
using Microsoft.Extensions.Configuration;

namespace Rlvr.Host.Configuration;

/// <summary>Builds the layered configuration of a run.</summary>
public static class RlvrConfiguration
{
    /// <summary>The prefix of environment variables that override configuration.</summary>
    public const string EnvironmentPrefix = "RLVR_";

    /// <summary>The sections the host itself reads; every other top-level section belongs to a component kind.</summary>
    public static IReadOnlyList<string> HostSections { get; } = ["Components", "Plugins", "Serilog", "Run", "Pretrain", "Evaluation", "Train", "Rollout", "Arms", "Seeds"];

    /// <summary>The top-level sections under which components keep their options, one child section per component.</summary>
    public static IReadOnlyList<string> ComponentRoots { get; } =
        ["Models", "Tokenizers", "Tasks", "Verifiers", "Rewards", "Algorithms", "Curricula", "Metrics"];

    /// <summary>Builds the configuration from <paramref name="file"/> (optional), the environment and <paramref name="overrides"/>.</summary>
    /// <exception cref="ConfigurationErrorsException">The file is missing or is not valid JSON, or an override is malformed.</exception>
    public static IConfigurationRoot Build(string? file, IReadOnlyList<string> overrides)
    {
        var builder = new ConfigurationBuilder();
        if (file is not null)
        {
            string path = Path.GetFullPath(file);
            if (!File.Exists(path)) throw new ConfigurationErrorsException($"The config file {path} does not exist.");
            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
        }
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddCommandLine(CheckOverrides(overrides).ToArray());
        try
        {
            return builder.Build();
        }
        catch (InvalidDataException e)
        {
            throw new ConfigurationErrorsException($"The config file {Path.GetFullPath(file!)} is not valid JSON: {Where(e)}");
        }
    }

    // The parser's position (0-based line, byte in line) as an editor shows it; a duplicate key has no position.
    private static string Where(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is not System.Text.Json.JsonException { LineNumber: long line, BytePositionInLine: long column } json) continue;
            int end = json.Message.IndexOf(" Path:", StringComparison.Ordinal) is >= 0 and int path ? path : json.Message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            return $"line {line + 1}, column {column + 1}: {(end >= 0 ? json.Message[..end] : json.Message)}";
        }
        return e.InnerException?.Message ?? e.Message;
    }

    // Accepts --Section:Key=value and --Section:Key value; anything else is a typo the user should hear about.
    private static IEnumerable<string> CheckOverrides(IReadOnlyList<string> overrides)
    {
        for (int i = 0; i < overrides.Count; i++)
        {
            string token = overrides[i];
            bool isKey = token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2;
            if (isKey && token.Contains('=')) continue;
            if (isKey && i + 1 < overrides.Count && !overrides[i + 1].StartsWith("--", StringComparison.Ordinal)) { i++; continue; }
            throw new ConfigurationErrorsException(
                $"'{token}' is not a configuration override; write --Section:Key=value, for example --Models:Transformer:Layers=8.");
        }
        return overrides;
    }
}
