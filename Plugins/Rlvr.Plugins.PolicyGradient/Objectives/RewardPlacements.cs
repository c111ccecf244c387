// Where a completion's reward sits among its tokens, for the estimators that read token rewards (GAE, REINFORCE++).
using Rlvr.Objectives;
using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.PolicyGradient;

/// <summary>The outcome reward on each row's last generated token.</summary>
public sealed class OutcomePlacement : IRewardPlacement
{
    public const string Name = "outcome";

    /// <inheritdoc />
    public Tensor Place(Tensor rewards, RolloutBatch batch, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var columns = arange(mask.shape[1], device: mask.device).unsqueeze(0) * mask;            // masked column indices
        var last = columns.argmax(1, keepdim: true);                                               // (B, 1)
        return (zeros_like(mask).scatter(1, last, rewards.unsqueeze(1)) * mask).MoveToOuterDisposeScope();
    }
}

/// <summary>Each step's reward on the step's last token (PPO-process); needs a process reward.</summary>
public sealed class StepPlacement : IRewardPlacement
{
    public const string Name = "steps";

    /// <inheritdoc />
    public Tensor Place(Tensor rewards, RolloutBatch batch, Tensor mask)
    {
        var steps = Require(batch.StepRewards);
        var placed = new float[mask.shape[0] * mask.shape[1]];
        for (int i = 0; i < steps.Count; i++)
            foreach (var step in steps[i]) placed[i * mask.shape[1] + step.Column] += (float)step.Value;
        using var scope = NewDisposeScope();
        return (tensor(placed, mask.shape, device: mask.device) * mask).MoveToOuterDisposeScope();
    }

    /// <summary>The batch's step rewards, or an error that says how to get some.</summary>
    public static IReadOnlyList<IReadOnlyList<TokenReward>> Require(IReadOnlyList<IReadOnlyList<TokenReward>> steps) =>
        steps.Any(s => s.Count > 0)
            ? steps
            : throw new InvalidOperationException(
                "This algorithm needs step rewards, but no reward function gave any; select a process reward, " +
                "for example Components:Rewards = [\"process\"].");
}
