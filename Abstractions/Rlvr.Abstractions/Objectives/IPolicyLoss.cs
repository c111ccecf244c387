using static TorchSharp.torch;

namespace Rlvr.Objectives;

/// <summary>
/// The surrogate a policy minimises, with its clipping, per token (PPO's clipped ratio, GSPO's sequence ratio, ...).
/// Register one with <see cref="RlvrServiceCollectionExtensions.AddPolicyLoss{TImplementation}"/>.
/// </summary>
public interface IPolicyLoss
{
    /// <summary>Per-token losses (B, T), not yet masked or aggregated, and the importance ratio they clip.</summary>
    PolicyLossTerms Loss(PolicyLossInputs inputs);
}

/// <summary>What a policy loss reads; every tensor is (B, T).</summary>
/// <param name="LogProbs">log π_θ of the sampled tokens, with gradient.</param>
/// <param name="OldLogProbs">log π_old of the same tokens, from sampling.</param>
/// <param name="Advantages">Per-token advantages.</param>
/// <param name="Mask">1 on the tokens that train.</param>
/// <param name="Settings">The algorithm's knobs (clip ranges).</param>
public sealed record PolicyLossInputs(Tensor LogProbs, Tensor OldLogProbs, Tensor Advantages, Tensor Mask, ObjectiveSettings Settings);

/// <summary>Per-token losses (B, T) and the importance ratio (B, T) that the clip acts on, for the clip-fraction metrics.</summary>
public sealed record PolicyLossTerms(Tensor PerToken, Tensor Ratio);
