namespace Rlvr.Rewards;

/// <summary>A completion's reward: one scalar, and optionally one reward per step for process supervision.</summary>
/// <param name="Value">The sequence-level reward.</param>
/// <param name="Steps">Per-step rewards in completion order, or null for an outcome-only reward.</param>
public sealed record RewardScore(double Value, IReadOnlyList<StepReward>? Steps = null);

/// <summary>The reward of one step, placed at the step's last character.</summary>
/// <param name="End">The index one past the step's last character in the completion.</param>
/// <param name="Value">The step's reward.</param>
public readonly record struct StepReward(int End, double Value);
