// DAPO's dynamic sampling trains on the groups whose rewards differ. The step's reward and accuracy must still describe
// the policy, so they are read from the fresh draw: the same draw GRPO sees at the same seed. The groups are judged on
// the rewards the update uses (overlong penalty included), and a step that finds none changes nothing.
using Microsoft.Extensions.Options;
using Rlvr.Sampling;
using Rlvr.Host.Scoring;
using Rlvr.Rewards;
using Rlvr.Tasks;
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

    [Fact]
    public void AStepWithNoInformativeGroupChangesNeitherTheWeightsNorTheOptimiser()
    {
        // Every completion scores 0 and none reaches the overlong zone (the answers are a dozen tokens, the zone starts at
        // 28 - 8 = 20), so no group is informative; weight decay would move the weights of any optimiser step.
        var options = new DapoOptions { PromptsPerStep = 4, GroupSize = 4, MaxSamplingRounds = 2, WeightDecay = 0.1 };
        using var policy = world.Policy();
        var context = world.Context(policy, totalSteps: 2, new SamplingOptions { MaxNewTokens = 28, Seed = 7 }, [new WeightedReward("zero", new Constant(), 1.0)]);
        using var session = new PolicyGradientAlgorithm<DapoOptions>(Options.Create(options), Parts.Services).Begin(context);
        using var scope = NewDisposeScope();
        string before = Directory.CreateTempSubdirectory("rlvr-dapo-").FullName, after = Directory.CreateTempSubdirectory("rlvr-dapo-").FullName;
        try
        {
            var weights = Weights(policy);
            session.Save(before);

            var metrics = session.Step();
            session.Save(after);

            Assert.Equal((0.0, 0.0), (metrics["dynamic_kept_groups"], metrics["updates"]));
            Assert.Equal(0.0, metrics["length_clipped_fraction"]);
            Assert.Equal(weights, Weights(policy));
            Assert.Equal(File.ReadAllBytes(Path.Combine(before, "optimizer.bin")), File.ReadAllBytes(Path.Combine(after, "optimizer.bin")));
        }
        finally
        {
            Directory.Delete(before, recursive: true);
            Directory.Delete(after, recursive: true);
        }
    }

    [Fact]
    public void GroupsAreJudgedOnTheRewardsTheUpdateUsesOverlongPenaltyIncluded()
    {
        // Every completion scores 0, but with the overlong zone over the whole completion (L_buf = L_max) the penalty
        // -L / L_max tells completions of different lengths apart: those groups have an advantage, and are trained on.
        var options = new DapoOptions { PromptsPerStep = 8, GroupSize = 8, OverlongBuffer = 28 };
        using var policy = world.Policy();
        var sampling = new SamplingOptions { MaxNewTokens = 28, Temperature = 1.5, Seed = 7 };
        var context = world.Context(policy, totalSteps: 2, sampling, [new WeightedReward("zero", new Constant(), 1.0)]);
        using var session = new PolicyGradientAlgorithm<DapoOptions>(Options.Create(options), Parts.Services).Begin(context);
        using var scope = NewDisposeScope();
        var weights = Weights(policy);

        var metrics = session.Step();

        Assert.Equal(0.0, metrics["reward_mean"]);
        Assert.True(metrics["length_max"] > metrics["length_mean"], "the draw must hold completions of different lengths, or this test shows nothing");
        Assert.True(metrics["dynamic_kept_groups"] > 0, "groups whose overlong penalties differ are informative");
        Assert.True(metrics["updates"] > 0);
        Assert.NotEqual(weights, Weights(policy));
    }

    // Every parameter's values, in order.
    private static List<float[]> Weights(Rlvr.Models.ICausalLanguageModel policy) => [.. policy.Module.parameters().Select(p => p.data<float>().ToArray())];

    // A reward that is 0 for every completion.
    private sealed class Constant : IReward
    {
        public RewardScore Score(Problem problem, string completion, Verification verification) => new(0.0);
    }

    private IReadOnlyDictionary<string, double> FirstStep<TOptions>(TOptions options) where TOptions : PolicyOptimizationOptions
    {
        using var policy = world.Policy();
        var context = world.Context(policy, totalSteps: 1, "terminal");
        using var session = new PolicyGradientAlgorithm<TOptions>(Options.Create(options), Parts.Services).Begin(context);
        using var scope = NewDisposeScope();
        return session.Step();
    }
}
