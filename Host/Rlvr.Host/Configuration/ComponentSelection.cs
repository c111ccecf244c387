namespace Rlvr.Host.Configuration;

/// <summary>The components a run uses, by name: the <c>Components</c> section.</summary>
public sealed class ComponentSelection
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Components";

    public string? Model { get; set; }          // model architecture, e.g. "transformer"
    public string? Tokenizer { get; set; }      // e.g. "char"
    public string? Task { get; set; }           // problem generator, e.g. "arithmetic"
    public string? Verifier { get; set; }       // usually the task's own, e.g. "arithmetic"
    public List<string> Rewards { get; set; } = [];      // reward functions, combined
    public string? Algorithm { get; set; }      // training signal, e.g. "grpo"
    public string? Curriculum { get; set; }     // e.g. "adaptive"; none: uniform over the arm's band
    public string? PretrainCurriculum { get; set; }   // the pretraining data mix, e.g. "mixture"; none: uniform over the task
    public List<string> MetricsSinks { get; set; } = []; // e.g. ["jsonl"]
    public string? Tool { get; set; }           // a tool the model calls in its text, e.g. "calculator"; none: no tool

    /// <summary>Every selected name with its kind and config key.</summary>
    public IEnumerable<(ComponentKind Kind, string Key, string Name)> Selected()
    {
        (ComponentKind, string, string?)[] single =
        [
            (ComponentKind.ModelArchitecture, nameof(Model), Model), (ComponentKind.Tokenizer, nameof(Tokenizer), Tokenizer),
            (ComponentKind.Task, nameof(Task), Task), (ComponentKind.Verifier, nameof(Verifier), Verifier),
            (ComponentKind.Algorithm, nameof(Algorithm), Algorithm), (ComponentKind.Curriculum, nameof(Curriculum), Curriculum),
            (ComponentKind.Curriculum, nameof(PretrainCurriculum), PretrainCurriculum), (ComponentKind.Tool, nameof(Tool), Tool),
        ];
        foreach (var (kind, key, name) in single)
            if (name is not null) yield return (kind, $"{Section}:{key}", name);
        for (int i = 0; i < Rewards.Count; i++) yield return (ComponentKind.Reward, $"{Section}:{nameof(Rewards)}:{i}", Rewards[i]);
        for (int i = 0; i < MetricsSinks.Count; i++) yield return (ComponentKind.MetricsSink, $"{Section}:{nameof(MetricsSinks)}:{i}", MetricsSinks[i]);
    }
}
