// Estimators of KL(π_θ ‖ π_ref) from one sampled token, with d = log π_ref − log π_θ.
// Schulman, "Approximating KL divergence" (2020).
using Rlvr.Objectives;
using static TorchSharp.torch;

namespace Rlvr.PolicyGradient;

/// <summary>k1 = −d: unbiased, can be negative; the usual choice when KL goes into the reward.</summary>
public sealed class K1 : IKlEstimator
{
    public const string Name = "k1";

    /// <inheritdoc />
    public Tensor Estimate(Tensor logProbs, Tensor refLogProbs)
    {
        using var scope = NewDisposeScope();
        var d = refLogProbs - logProbs;                                                // (B, T)
        return (-d).MoveToOuterDisposeScope();
    }
}

/// <summary>k3 = exp(d) − d − 1: unbiased, never negative, low variance; the usual choice when KL goes into the loss.</summary>
public sealed class K3 : IKlEstimator
{
    public const string Name = "k3";

    /// <inheritdoc />
    public Tensor Estimate(Tensor logProbs, Tensor refLogProbs)
    {
        using var scope = NewDisposeScope();
        var d = (refLogProbs - logProbs).clamp(-PolicyLoss.MaxLogRatio, PolicyLoss.MaxLogRatio);   // (B, T)
        return (d.exp() - d - 1).MoveToOuterDisposeScope();
    }
}
