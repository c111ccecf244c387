// A study of several bases: "Bases" names base variants, each a configuration laid over the study as an arm's is
// (a share of hard problems in pretraining, say). Each base is a study of its own, with every seed and every arm, in
// <RunRoot>/<study>/<base>/; Run:Base selects one. Together they answer how an arm's effect on the base it was trained
// from changes with what the base was given (DoseResponseReport).
using Microsoft.Extensions.Configuration;
using Rlvr.Host.Configuration;
using Rlvr.Host.Runs;

namespace Rlvr.Host.Studies;

/// <summary>The bases of a study with a <c>Bases</c> section, and the configuration of each.</summary>
public static class StudyBases
{
    /// <summary>The section whose children are the study's bases.</summary>
    public const string Section = "Bases";

    /// <summary>The key that names the base the dose-response report compares every other base with.</summary>
    public const string ReferenceKey = "DoseResponse:Reference";

    /// <summary>The key that selects one base: its study is then the whole configuration.</summary>
    public const string SelectKey = $"{RunOptions.Section}:{nameof(RunOptions.Base)}";

    /// <summary>The bases, in configuration order (by name, numbers compared as numbers); empty for a study of one base.</summary>
    public static IReadOnlyList<string> Names(IConfiguration configuration) =>
        [.. configuration.GetSection(Section).GetChildren().Select(c => c.Key)];

    /// <summary>Whether <paramref name="configuration"/> lists bases and selects none: a study of several bases, each run as its own study.</summary>
    public static bool IsSet(IConfiguration configuration) => Names(configuration).Count > 0 && string.IsNullOrEmpty(configuration[SelectKey]);

    /// <summary>
    /// The configuration of the base <see cref="SelectKey"/> names: its <c>Bases:&lt;base&gt;</c> laid over the study,
    /// less the other bases. Unchanged without bases, or with bases and none selected.
    /// </summary>
    /// <exception cref="ConfigurationErrorsException">A base's name is no folder name, or Run:Base names no base of the study.</exception>
    public static IConfigurationRoot Select(IConfigurationRoot configuration)
    {
        var names = Names(configuration);
        if (names.Count == 0) return configuration;
        var errors = names.Select(b => RunPaths.Unusable(b, RunPaths.StudyFolderEntries) is { } why ? $"{Section}:{b}: {why}" : null).OfType<string>().ToList();
        if (configuration[ReferenceKey] is { Length: > 0 } reference && !names.Contains(reference, StringComparer.OrdinalIgnoreCase))
            errors.Add($"{ReferenceKey} = '{reference}': no such base; the study's bases: {string.Join(", ", names)}");
        if (errors.Count > 0) throw new ConfigurationErrorsException(errors);
        string? selected = configuration[SelectKey];
        if (string.IsNullOrEmpty(selected)) return configuration;
        string? name = names.FirstOrDefault(b => string.Equals(b, selected, StringComparison.OrdinalIgnoreCase))
            ?? throw new ConfigurationErrorsException($"{SelectKey} = '{selected}': no such base; the study's bases: {string.Join(", ", names)}");
        var chosen = RlvrConfiguration.Overlay(configuration, $"{Section}:{name}", dropping: Section);
        return chosen[SelectKey] == name ? chosen : new ConfigurationBuilder().AddConfiguration(chosen).AddInMemoryCollection([new(SelectKey, name)]).Build();
    }
}
