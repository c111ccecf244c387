// What a progress bar shows for a stage: the CLI's live display reads it after every step.
namespace Rlvr.Host.Runs;

/// <summary>
/// What a stage's bar says after each step: the loss while pretraining, the reward while training, the speed. A stage
/// that measures only every few steps (pretraining computes its loss at Pretrain:LogEvery) keeps its last value, marked
/// with the step it is from, so that an old value never reads as the current one.
/// </summary>
public sealed class StageHeadline
{
    private string _text = "";
    private int _measuredAt;

    /// <summary>The headline after <paramref name="p"/>: its own metrics, or the last ones measured, with their step.</summary>
    public string After(StageProgress p)
    {
        if (Headline(p.Metrics) is { } text) (_text, _measuredAt) = (text, p.Step);
        return _text.Length == 0 || _measuredAt == p.Step ? _text : $"{_text} (at step {_measuredAt})";
    }

    private static string? Headline(IReadOnlyDictionary<string, double> m)
    {
        if (m.TryGetValue("samples_per_s", out var samples)) return $"{samples:N0} samples/s";
        string? value = m.TryGetValue("reward_mean", out var reward) ? $"reward {reward:F3}"
            : m.TryGetValue("loss", out var loss) ? $"loss {loss:F3}" : null;
        if (value is null) return null;
        return m.TryGetValue("tokens_per_s", out var speed) ? $"{value} {speed:N0} tok/s" : value;
    }
}
