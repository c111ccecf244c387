namespace Rlvr.Host.Configuration;

/// <summary>The configuration is wrong: a missing file, a malformed value, an unknown name. Each error names its config path.</summary>
public sealed class ConfigurationErrorsException(IReadOnlyList<string> errors)
    : Exception(errors.Count == 1 ? errors[0] : $"{errors.Count} configuration errors:{Environment.NewLine}" + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    /// <summary>Creates an exception for one error.</summary>
    public ConfigurationErrorsException(string error) : this([error]) { }

    /// <summary>Every error found, each naming its config path.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}
