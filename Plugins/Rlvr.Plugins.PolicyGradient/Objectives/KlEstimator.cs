// Estimators of KL(pi_theta || pi_ref) from one sampled token.   Schulman, "Approximating KL divergence" (2020)
namespace Rlvr.PolicyGradient;

/// <summary>Which per-token estimator of KL(π_θ ‖ π_ref) to use, with d = log π_ref − log π_θ.</summary>
public enum KlEstimator
{
    /// <summary>k1 = −d: unbiased, can be negative; the usual choice when KL goes into the reward.</summary>
    K1,
    /// <summary>k3 = exp(d) − d − 1: unbiased, never negative, low variance; the usual choice when KL goes into the loss.</summary>
    K3,
}
