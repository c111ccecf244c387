// DAPO's dynamic sampling trains on the groups whose rewards differ. The step's reward and accuracy must still describe
// the policy, so they are read from the fresh draw: the same draw GRPO sees at the same seed.
using Microsoft.Extensions.Options;
using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.PolicyGradient.Tests.Learning;

public sealed class DynamicSamplingTests(PretrainedBase world) : IClassFixture<PretrainedBase>
{
    [Fact]
    public void TheStepsRewardIsThatOfTheDrawNotOfTheKeptGroups()
    {
        var grpo = FirstStep(new GrpoOptions { PromptsPerStep = 8, GroupSize = 4 });
        var dapo = FirstStep(new DapoOptions { PromptsPerStep = 8, GroupSize = 4 });

        Assert.True(dapo["dynamic_dropped_fraction"] > 0, "the draw must hold groups that dynamic sampling drops, or this test shows nothing");
        Assert.True(grpo["zero_std_groups"] > 0);
        foreach (string metric in new[] { "reward_mean", "reward_std", "zero_std_groups", "answer_accuracy", "step_verified_accuracy", "length_mean" })
            Assert.Equal(grpo[metric], dapo[metric], 12);
    }

    private IReadOnlyDictionary<string, double> FirstStep<TOptions>(TOptions options) where TOptions : PolicyOptimizationOptions
    {
        using var policy = world.Policy();
        var context = world.Context(policy, totalSteps: 1, "terminal");
        using var session = new PolicyGradientAlgorithm<TOptions>(Options.Create(options)).Begin(context);
        using var scope = NewDisposeScope();
        return session.Step();
    }
}
