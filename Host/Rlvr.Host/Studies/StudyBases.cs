// A study of several bases: "Bases" names base variants, each a configuration laid over the study as an arm's is
// (a share of hard problems in pretraining, say). Each base is a study of its own, with every seed and every arm, in
// <RunRoot>/<study>/<base>/; Run:Base selects one. Together they answer how an arm's effect on the base it was trained
// from changes with what the base was given (DoseResponseReport). A base may continue another's pretrained model
// (Pretrain:From: mid-training), which then runs first; "Arms": {} gives a base no arms (a trunk that only feeds others).
using Microsoft.Extensions.Configuration;
using Rlvr.Host.Configuration;
using Rlvr.Host.Pretraining;
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

    /// <summary>The key that names the base whose pretrained model a base continues.</summary>
    public const string FromKey = $"{PretrainOptions.Section}:{nameof(PretrainOptions.From)}";

    /// <summary>
    /// What a base that continues another must share with it: the architecture and tokenizer (the weights must load)
    /// and the task and held-out count (so that the other base never trained on this one's held-out problems).
    /// </summary>
    public static IReadOnlyList<string> SharedWithFrom { get; } =
        ["Components:Model", "Models", "Components:Tokenizer", "Tokenizers", "Components:Task", "Tasks", "Evaluation:Problems"];

    /// <summary>The bases, in configuration order (by name, numbers compared as numbers); empty for a study of one base.</summary>
    public static IReadOnlyList<string> Names(IConfiguration configuration) =>
        [.. configuration.GetSection(Section).GetChildren().Select(c => c.Key)];

    /// <summary>The bases in the order they run: configuration order, except that a base runs after the base it continues.</summary>
    public static IReadOnlyList<string> RunOrder(IConfiguration configuration)
    {
        var names = Names(configuration);
        var order = DependencyOrder.Of(names, b => From(configuration, b) is { } from ? Named(names, from) : null);
        return order.Count == names.Count ? order : names;      // a cycle: Select says which
    }

    // The base that base continues (its own Pretrain:From, else the study's), or null.
    private static string? From(IConfiguration configuration, string @base) =>
        (configuration[$"{Section}:{@base}:{FromKey}"] ?? configuration[FromKey]) is { Length: > 0 } from ? from : null;

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
        if (names.Count == 0)
            return string.IsNullOrEmpty(configuration[FromKey]) || !string.IsNullOrEmpty(configuration[SelectKey]) ? configuration
                : throw new ConfigurationErrorsException($"{FromKey} = '{configuration[FromKey]}': only a base of a study with {Section} can continue another base");
        var errors = names.Select(b => RunPaths.Unusable(b, RunPaths.StudyFolderEntries) is { } why ? $"{Section}:{b}: {why}" : null).OfType<string>().ToList();
        errors.AddRange(FromErrors(configuration, names));
        if (configuration[ReferenceKey] is { Length: > 0 } reference && Named(names, reference) is null)
            errors.Add($"{ReferenceKey} = '{reference}': no such base; the study's bases: {string.Join(", ", names)}");
        if (errors.Count > 0) throw new ConfigurationErrorsException(errors);
        string? selected = configuration[SelectKey];
        if (string.IsNullOrEmpty(selected)) return configuration;
        string name = Named(names, selected)
            ?? throw new ConfigurationErrorsException($"{SelectKey} = '{selected}': no such base; the study's bases: {string.Join(", ", names)}");
        var chosen = RlvrConfiguration.Overlay(configuration, $"{Section}:{name}", dropping: Section);
        return chosen[SelectKey] == name ? chosen : new ConfigurationBuilder().AddConfiguration(chosen).AddInMemoryCollection([new(SelectKey, name)]).Build();
    }

    // Every base's Pretrain:From names another base of the study, with the architecture, tokenizer, task and held-out
    // count it shares, and no base continues itself through others.
    private static IEnumerable<string> FromErrors(IConfiguration configuration, IReadOnlyList<string> names)
    {
        foreach (string b in names)
        {
            if (From(configuration, b) is not { } from) continue;
            string key = $"{Section}:{b}:{FromKey} = '{from}'";
            if (Named(names, from) is not { } other) { yield return $"{key}: no such base; the study's bases: {string.Join(", ", names)}"; continue; }
            if (Cycle(configuration, names, b) is { } cycle)
                yield return $"{key}: the bases {string.Join(" → ", cycle)} continue each other in a cycle";
            var (mine, theirs) = (RlvrConfiguration.Overlay(configuration, $"{Section}:{b}", dropping: Section), RlvrConfiguration.Overlay(configuration, $"{Section}:{other}", dropping: Section));
            foreach (string section in SharedWithFrom.Where(s => RunFingerprint.Of(mine, [s]) != RunFingerprint.Of(theirs, [s])))
                yield return $"{key}: {section} differs from that base's; a base continues another only with the same {string.Join(", ", SharedWithFrom)}";
        }
    }

    // The base of the study that name names, compared as folder names are (case-insensitively), or null.
    private static string? Named(IReadOnlyList<string> names, string name) => names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));

    // The chain b → ... → b when following Pretrain:From from b comes back to b; otherwise null.
    private static List<string>? Cycle(IConfiguration configuration, IReadOnlyList<string> names, string b)
    {
        var chain = new List<string> { b };
        while (From(configuration, chain[^1]) is { } from && Named(names, from) is { } next)
        {
            chain.Add(next);
            if (next == b) return chain;
            if (chain.IndexOf(next) < chain.Count - 1) return null;            // a cycle that b only leads into: reported for its own bases
        }
        return null;
    }
}
