// Options of the training stage of an arm, bound from "Train" (and overridden per arm under "Arms:<arm>:Train").
using System.ComponentModel.DataAnnotations;

namespace Rlvr.Host.Training;

/// <summary>How long an arm trains, on which problems, from which start, and how often it checkpoints.</summary>
public sealed class TrainOptions
{
    public const string Section = "Train";

    [Range(0, 1_000_000)] public int Steps { get; set; } = 100;             // calls of the algorithm's Step
    [Range(0, 100)] public int MinDifficulty { get; set; }                  // training band; 0: the task's own minimum
    [Range(0, 100)] public int MaxDifficulty { get; set; }                  // 0: the task's own maximum
    [Required] public string From { get; set; } = "base";                   // the model this arm starts from: "base" or an earlier arm
    [Range(1, 1_000_000)] public int LogEvery { get; set; } = 10;           // steps between log lines (every step goes to metrics.jsonl)
    [Range(0, 1_000_000)] public int CheckpointEvery { get; set; } = 50;    // steps between checkpoints; 0: only at the end
}

/// <summary>How training completions are sampled, and how the reward functions are weighted.</summary>
public sealed class RolloutOptions
{
    public const string Section = "Rollout";

    [Range(0.0, 100.0)] public double Temperature { get; set; } = 1.0;
    [Range(0.0, 1.0, MinimumIsExclusive = true)] public double TopP { get; set; } = 1.0;
    [Range(0, 8192)] public int MaxNewTokens { get; set; }                  // 0: what the context leaves after the task's longest prompt
    public Dictionary<string, double> RewardWeights { get; set; } = [];     // by reward component name; a missing one weighs 1
}
