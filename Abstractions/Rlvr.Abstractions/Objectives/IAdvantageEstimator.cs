using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.Objectives;

/// <summary>
/// Turns a rollout batch's rewards into per-token advantages (GRPO, RLOO, GAE, ...). Register one with
/// <see cref="RlvrServiceCollectionExtensions.AddAdvantageEstimator{TImplementation}"/>; an algorithm picks it by name.
/// </summary>
public interface IAdvantageEstimator
{
    /// <summary>Whether it reads a critic's values (<see cref="AdvantageInputs.Values"/>); the algorithm then trains one.</summary>
    bool NeedsCritic => false;

    /// <summary>Advantages (B, T), 0 off the mask; with a critic, also the returns it regresses on.</summary>
    AdvantageEstimate Estimate(AdvantageInputs inputs);
}

/// <summary>What an advantage estimator reads. Rows are grouped consecutively: row i belongs to group i / <paramref name="GroupSize"/>.</summary>
/// <param name="Rewards">Each row's reward (B), shaped (overlong penalty) and less the KL penalty when KL goes into the reward.</param>
/// <param name="TokenRewards">The rewards placed on tokens by the algorithm's reward placement, less the per-token KL penalty when KL goes into the reward; (B, T).</param>
/// <param name="Mask">1 on the tokens that train, (B, T).</param>
/// <param name="GroupSize">G, the completions per problem.</param>
/// <param name="StepRewards">Per row, the step rewards on the columns of each step's last token; empty without a process reward.</param>
/// <param name="Values">The critic's values (B, T) at sampling time, when <see cref="IAdvantageEstimator.NeedsCritic"/>; otherwise null.</param>
/// <param name="Settings">The algorithm's knobs.</param>
public sealed record AdvantageInputs(
    Tensor Rewards,
    Tensor TokenRewards,
    Tensor Mask,
    int GroupSize,
    IReadOnlyList<IReadOnlyList<TokenReward>> StepRewards,
    Tensor? Values,
    ObjectiveSettings Settings);

/// <summary>Per-token advantages (B, T) and, for a critic, its regression targets (B, T).</summary>
public sealed record AdvantageEstimate(Tensor Advantages, Tensor? Returns = null);
