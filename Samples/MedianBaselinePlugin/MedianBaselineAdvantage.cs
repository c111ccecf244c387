using Rlvr.Objectives;

namespace MedianBaselinePlugin;

/// <summary>
/// A = R − the median reward of the completion's group (the lower middle one for an even group), on every token of
/// the completion: a baseline that one outlying reward cannot move.
/// </summary>
public sealed class MedianBaselineAdvantage : IAdvantageEstimator
{
    public AdvantageEstimate Estimate(AdvantageInputs inputs)
    {
        int G = inputs.GroupSize;
        var rewards = inputs.Rewards.view(-1, G);                                  // (groups, G)
        var (sorted, _) = rewards.sort(1);
        var median = sorted.narrow(1, (G - 1) / 2, 1);                             // (groups, 1)
        return new((rewards - median).view(-1, 1) * inputs.Mask);                  // (B, T), 0 off the mask
    }
}
