// The named algorithms through a real service collection and configuration, as the host builds them: each preset
// reads its own section with its own defaults, and impossible or foreign options fail at start, naming the key.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Rlvr.Objectives;
using Rlvr.Training;
using Rlvr.Testing;

namespace Rlvr.PolicyGradient.Tests;

public sealed class RegistrationTests
{
    private static ServiceProvider Build(params (string Key, string Value)[] settings) => PluginServices.Build(new PolicyGradientPlugin(), settings);

    private static string StartupError(params (string Key, string Value)[] settings) =>
        PluginServices.ValidateOnStart(new PolicyGradientPlugin(), settings) switch
        {
            AggregateException many => string.Join('\n', many.InnerExceptions.Select(e => e.Message)),
            var one => one.Message,
        };

    [Fact]
    public void EveryPresetIsRegisteredWithItsSection()
    {
        using var provider = Build();
        var names = provider.GetServices<ComponentDescriptor>().Where(d => d.Kind == ComponentKind.Algorithm).ToDictionary(d => d.Name, d => d.ConfigSection);
        Assert.Equal(new Dictionary<string, string?>
        {
            ["grpo"] = "Algorithms:Grpo", ["dr-grpo"] = "Algorithms:DrGrpo", ["dapo"] = "Algorithms:Dapo", ["rloo"] = "Algorithms:Rloo",
            ["passk"] = "Algorithms:PassK", ["grpo-process"] = "Algorithms:GrpoProcess", ["ppo"] = "Algorithms:Ppo", ["ppo-process"] = "Algorithms:PpoProcess",
            ["gspo"] = "Algorithms:Gspo", ["reinforce-pp"] = "Algorithms:ReinforcePlusPlus",
        }, names);
        provider.GetRequiredService<IStartupValidator>().Validate();
        foreach (var name in names.Keys) Assert.NotNull(provider.GetRequiredKeyedService<IAlgorithm>(name));
    }

    [Fact]
    public void PresetsAreBundlesOfTheSameOptions()
    {
        using var provider = Build(("Algorithms:Dapo:ClipHigh", "0.3"));
        T Get<T>() where T : class => provider.GetRequiredService<IOptions<T>>().Value;
        Assert.Equal(("group", "seq-mean-token-mean", 0.2), (Get<GrpoOptions>().Scale, Get<GrpoOptions>().LossAggregation, Get<GrpoOptions>().ClipHigh));
        Assert.Equal(("none", "seq-mean-token-sum-norm"), (Get<DrGrpoOptions>().Scale, Get<DrGrpoOptions>().LossAggregation));
        Assert.Equal((0.3, true, "token-mean", 8), (Get<DapoOptions>().ClipHigh, Get<DapoOptions>().DynamicSampling, Get<DapoOptions>().LossAggregation, Get<DapoOptions>().OverlongBuffer));
        Assert.Equal(("rloo", "passk", "grpo-process"), (Get<RlooOptions>().Advantage, Get<PassKOptions>().Advantage, Get<GrpoProcessOptions>().Advantage));
        Assert.Equal(("outcome", "steps"), (Get<PpoOptions>().Rewards, Get<PpoProcessOptions>().Rewards));
        Assert.Equal(("grpo", "gspo", 3e-4, 4e-4, "seq-mean-token-mean"), (Get<GspoOptions>().Advantage, Get<GspoOptions>().PolicyLoss, Get<GspoOptions>().ClipLow, Get<GspoOptions>().ClipHigh, Get<GspoOptions>().LossAggregation));
        Assert.Equal(("reinforce-pp", "clip", "reward", "k1"), (Get<ReinforcePlusPlusOptions>().Advantage, Get<ReinforcePlusPlusOptions>().PolicyLoss, Get<ReinforcePlusPlusOptions>().KlIn, Get<ReinforcePlusPlusOptions>().RewardKlEstimator));
        Assert.Equal(0.2, Get<GrpoOptions>().ClipHigh);                       // one arm's section never leaks into another's
    }

    [Fact]
    public void AnOptionTheAlgorithmDoesNotHaveIsRejectedByName()
    {
        // A critic option on GRPO: GroupPolicyOptions has no such key.
        string error = StartupError(("Algorithms:Grpo:ValueCoefficient", "0.5"));
        Assert.Contains("ValueCoefficient", error);
        // And a group option on PPO.
        Assert.Contains("DynamicSampling", StartupError(("Algorithms:Ppo:DynamicSampling", "true")));
    }

    [Fact]
    public void PassAtKWithKAboveTheGroupSizeIsRejected() =>
        Assert.Contains("Algorithms:PassK:K", StartupError(("Algorithms:PassK:K", "16"), ("Algorithms:PassK:GroupSize", "8")));

    [Fact]
    public void AGroupOfOneIsRejectedForGroupAdvantages()
    {
        Assert.Contains("Algorithms:PassK:GroupSize", StartupError(("Algorithms:PassK:GroupSize", "1"), ("Algorithms:PassK:K", "1")));
        Assert.Contains("Algorithms:Grpo:GroupSize", StartupError(("Algorithms:Grpo:GroupSize", "1")));
    }

    [Fact]
    public void EveryPartIsRegisteredUnderItsName()
    {
        using var provider = Build();
        var parts = provider.GetServices<ComponentDescriptor>().Where(d => d.Kind != ComponentKind.Algorithm)
            .GroupBy(d => d.Kind).ToDictionary(g => g.Key, g => string.Join(" ", g.Select(d => d.Name).Order(StringComparer.Ordinal)));
        Assert.Equal(new Dictionary<ComponentKind, string>
        {
            [ComponentKind.AdvantageEstimator] = "gae grpo grpo-process passk reinforce-pp rloo",
            [ComponentKind.PolicyLoss] = "clip gspo",
            [ComponentKind.LossAggregation] = "seq-mean-token-mean seq-mean-token-sum-norm token-mean",
            [ComponentKind.KlEstimator] = "k1 k3",
            [ComponentKind.RewardPlacement] = "outcome steps",
        }, parts);
        Assert.IsType<RlooAdvantage>(provider.GetRequiredKeyedService<IAdvantageEstimator>("rloo"));
        Assert.IsType<ClippedSequenceRatio>(provider.GetRequiredKeyedService<IPolicyLoss>("gspo"));
    }

    [Fact]
    public void AStudyMixesPartsFreely()
    {
        using var provider = Build(("Algorithms:Grpo:Advantage", "rloo"), ("Algorithms:Ppo:PolicyLoss", "gspo"), ("Algorithms:Dapo:KlEstimator", "k1"));
        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal("rloo", provider.GetRequiredService<IOptions<GrpoOptions>>().Value.Advantage);
        Assert.Equal(("gspo", "gae"), (provider.GetRequiredService<IOptions<PpoOptions>>().Value.PolicyLoss, provider.GetRequiredService<IOptions<PpoOptions>>().Value.Advantage));
    }

    [Theory]
    [InlineData("Algorithms:Grpo:Advantage", "grpo2", "advantage estimator", "gae, grpo, grpo-process, passk, reinforce-pp, rloo")]
    [InlineData("Algorithms:Gspo:PolicyLoss", "ppo", "policy loss", "clip, gspo")]
    [InlineData("Algorithms:Ppo:LossAggregation", "sum", "loss aggregation", "seq-mean-token-mean, seq-mean-token-sum-norm, token-mean")]
    [InlineData("Algorithms:Rloo:KlEstimator", "k2", "KL estimator", "k1, k3")]
    [InlineData("Algorithms:ReinforcePlusPlus:RewardKlEstimator", "k2", "KL estimator", "k1, k3")]
    [InlineData("Algorithms:PpoProcess:Rewards", "tokens", "reward placement", "outcome, steps")]
    public void AnUnknownPartNamesTheKeyAndTheRegisteredNames(string key, string value, string what, string known) =>
        Assert.Contains($"{key} = '{value}': no {what} is registered by that name; known: {known}.", StartupError((key, value)));

    [Fact]
    public void AnEstimatorThatNeedsACriticIsRejectedWhereNoCriticIsTrained() =>
        Assert.Contains("Algorithms:Grpo:Advantage = 'gae': this estimator needs a critic", StartupError(("Algorithms:Grpo:Advantage", "gae")));

    [Theory]
    [InlineData("Algorithms:Grpo:ClipLow", "1.5", "Algorithms:Grpo:ClipLow")]
    [InlineData("Algorithms:Dapo:LossAggregation", "sum", "Algorithms:Dapo:LossAggregation")]
    [InlineData("Algorithms:Ppo:Critic", "twin", "Algorithms:Ppo:Critic")]
    [InlineData("Algorithms:Rloo:DualClip", "0.5", "Algorithms:Rloo:DualClip")]
    [InlineData("Algorithms:Grpo:MiniBatches", "1000", "Algorithms:Grpo:MiniBatches")]
    public void ImpossibleValuesNameTheirKey(string key, string value, string expected) =>
        Assert.Contains(expected, StartupError((key, value)));
}
