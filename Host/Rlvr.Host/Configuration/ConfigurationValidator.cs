// Checks a run's whole configuration before any compute and lists every error at once, each with its config path:
// unknown sections, unknown keys, values that fail binding or validation, and component names nobody registered.
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Rlvr.Host.Configuration;

/// <summary>Validates every configuration section of a composed run.</summary>
public sealed partial class ConfigurationValidator(IServiceProvider services, IConfiguration configuration)
{
    /// <summary>Every configuration error, each naming its config path; empty when the configuration is valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var sections = services.GetServices<OptionsSection>().ToList();
        var errors = new List<string>();
        errors.AddRange(UnknownSections(sections));
        foreach (var section in sections) errors.AddRange(ValidateOptions(section));
        return errors;
    }

    /// <summary>Throws when <see cref="Validate"/> finds any error.</summary>
    /// <exception cref="ConfigurationErrorsException">Lists every error found.</exception>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new ConfigurationErrorsException(errors);
    }

    private IEnumerable<string> UnknownSections(IReadOnlyList<OptionsSection> sections)
    {
        var known = RlvrConfiguration.HostSections.Concat(RlvrConfiguration.ComponentRoots).ToList();
        foreach (var top in configuration.GetChildren())
        {
            if (!known.Contains(top.Key, StringComparer.OrdinalIgnoreCase))
            {
                yield return $"{top.Key}: not a known section; known sections: {string.Join(", ", known)}";
                continue;
            }
            if (!RlvrConfiguration.ComponentRoots.Contains(top.Key, StringComparer.OrdinalIgnoreCase)) continue;

            var readable = sections.Select(s => s.Section).Where(s => s.StartsWith(top.Key + ":", StringComparison.OrdinalIgnoreCase)).ToList();
            foreach (var child in top.GetChildren())
            {
                if (readable.Contains(child.Path, StringComparer.OrdinalIgnoreCase)) continue;
                yield return $"{child.Path}: no registered component reads this section; " +
                             (readable.Count == 0 ? $"no component keeps options under {top.Key}" : $"sections here: {string.Join(", ", readable)}");
            }
        }
    }

    private IEnumerable<string> ValidateOptions(OptionsSection section)
    {
        var options = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(section.OptionsType));
        var value = options.GetType().GetProperty(nameof(IOptions<object>.Value))!;
        try
        {
            value.GetValue(options);
            return [];
        }
        catch (TargetInvocationException e) when (e.InnerException is OptionsValidationException invalid)
        {
            return invalid.Failures;
        }
        catch (TargetInvocationException e) when (e.InnerException is InvalidOperationException binding)
        {
            // A stray key inside a list item fails deeper: the outer message only says binding failed, the innermost names the key.
            bool unknown = UnknownKeys().IsMatch(binding.Message);
            bool nested = !unknown && binding.Message.Contains("ErrorOnUnknownConfiguration", StringComparison.Ordinal);
            string error = nested ? $"{section.Section}: {binding.GetBaseException().Message}" : Reword(section, binding.Message);
            return unknown || nested ? [error, .. ValidateKnownKeys(section)] : [error];
        }
    }

    // Stray keys stop binding before any rule runs; bind again ignoring them, so the section's other errors are listed too.
    private IEnumerable<string> ValidateKnownKeys(OptionsSection section)
    {
        object options = Activator.CreateInstance(section.OptionsType)!;
        try
        {
            configuration.GetSection(section.Section).Bind(options);
        }
        catch (InvalidOperationException)
        {
            return [];    // a value of the wrong type: the binder's own error already names it
        }
        var validate = typeof(IValidateOptions<>).MakeGenericType(section.OptionsType).GetMethod(nameof(IValidateOptions<object>.Validate))!;
        return services.GetServices(typeof(IValidateOptions<>).MakeGenericType(section.OptionsType))
            .Select(validator => (ValidateOptionsResult)validate.Invoke(validator, [Options.DefaultName, options])!)
            .Where(result => result.Failed)
            .SelectMany(result => result.Failures ?? []);
    }

    // The binder names the type, not the config path; say where the stray keys are and which keys exist.
    private static string Reword(OptionsSection section, string message)
    {
        var unknown = UnknownKeys().Match(message);
        if (!unknown.Success) return $"{section.Section}: {message}";
        var keys = unknown.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(k => k.Trim('\''));
        var allowed = section.OptionsType.GetProperties().Where(p => p.CanWrite).Select(p => p.Name);
        return string.Join(Environment.NewLine, keys.Select(k => $"{section.Section}:{k}: unknown key; known keys: {string.Join(", ", allowed)}"));
    }

    [GeneratedRegex("properties were not found on the instance of [^:]+: (.+)$")]
    private static partial Regex UnknownKeys();
}
