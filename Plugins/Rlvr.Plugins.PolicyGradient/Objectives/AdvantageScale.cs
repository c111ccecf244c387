// The divisor of a GRPO advantage (R - mean_g R) / (std + eps).   GRPO arXiv:2402.03300; Dr. GRPO arXiv:2503.20783
namespace Rlvr.PolicyGradient;

/// <summary>What a GRPO advantage is divided by: the group's reward std, the batch's, or nothing (Dr. GRPO).</summary>
public enum AdvantageScale
{
    /// <summary>std of the rewards in the row's group (original GRPO).</summary>
    Group,
    /// <summary>std of all rewards in the batch (group mean, batch std).</summary>
    Batch,
    /// <summary>No division: A = R - mean_g R (Dr. GRPO).</summary>
    None,
}
