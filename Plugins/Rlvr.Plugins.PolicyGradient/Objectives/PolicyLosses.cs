// The policy losses: PPO's per-token clipped ratio and GSPO's per-sequence one. PPO arXiv:1707.06347 · GSPO arXiv:2507.18071.
using Rlvr.Objectives;
using static TorchSharp.torch;

namespace Rlvr.PolicyGradient;

/// <summary>PPO's clipped surrogate on the per-token ratio, with clip-higher and dual-clip (verl's "vanilla").</summary>
public sealed class ClippedTokenRatio : IPolicyLoss
{
    public const string Name = "clip";

    /// <inheritdoc />
    public PolicyLossTerms Loss(PolicyLossInputs inputs)
    {
        var s = inputs.Settings;
        var ratio = PolicyLoss.Ratio(inputs.LogProbs, inputs.OldLogProbs);
        return new(PolicyLoss.Clipped(ratio, inputs.Advantages, s.ClipLow, s.ClipHigh, s.DualClip), ratio);
    }
}

/// <summary>
/// GSPO: the clipped surrogate on the length-normalised sequence ratio s_i = exp(mean_t (lp − lp_old)), the same on
/// every token of the row, so one sequence is kept or clipped as a whole.
/// </summary>
public sealed class ClippedSequenceRatio : IPolicyLoss
{
    public const string Name = "gspo";

    /// <inheritdoc />
    public PolicyLossTerms Loss(PolicyLossInputs inputs)
    {
        var s = inputs.Settings;
        var ratio = PolicyLoss.SequenceRatio(inputs.LogProbs, inputs.OldLogProbs, inputs.Mask).expand_as(inputs.LogProbs);   // (B, T)
        return new(PolicyLoss.Clipped(ratio, inputs.Advantages, s.ClipLow, s.ClipHigh, s.DualClip), ratio);
    }
}
