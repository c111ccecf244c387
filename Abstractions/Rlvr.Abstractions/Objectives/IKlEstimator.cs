using static TorchSharp.torch;

namespace Rlvr.Objectives;

/// <summary>
/// Estimates KL(π_θ ‖ π_ref) per token from the sampled tokens' log-probabilities (k1, k3, ...). Register one with
/// <see cref="RlvrServiceCollectionExtensions.AddKlEstimator{TImplementation}"/>.
/// </summary>
public interface IKlEstimator
{
    /// <summary>Per-token estimates (B, T) from log π_θ and log π_ref, both (B, T).</summary>
    Tensor Estimate(Tensor logProbs, Tensor refLogProbs);
}
