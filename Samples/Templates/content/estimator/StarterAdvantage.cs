// A = R − the mean reward of the completion's group, on every token of the completion: the plainest group baseline.
// Put your formula here. Tensors are (B, T) with rows grouped by problem (row i in group i / G); what you return
// belongs to the caller's dispose scope.
using Rlvr.Objectives;

namespace Company.RlvrPlugin;

public sealed class StarterAdvantage : IAdvantageEstimator
{
    public AdvantageEstimate Estimate(AdvantageInputs inputs)
    {
        var rewards = inputs.Rewards.view(-1, inputs.GroupSize);                      // (groups, G)
        var advantages = rewards - rewards.mean([1], keepdim: true);                   // (groups, G)
        return new(advantages.view(-1, 1) * inputs.Mask);                              // (B, T), 0 off the mask
    }
}
