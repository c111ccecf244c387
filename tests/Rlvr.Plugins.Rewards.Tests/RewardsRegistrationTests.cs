// Registration and options binding through a real service collection and configuration, as the host does it.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Rlvr.Plugins.Rewards.Tests.Support;
using Rlvr.Rewards;
using Rlvr.Rewards.Functions;
using Rlvr.Testing;

namespace Rlvr.Plugins.Rewards.Tests;

public class RewardsRegistrationTests
{
    private static ServiceProvider Build(params (string Key, string Value)[] settings) => PluginServices.Build(new RewardsPlugin(), settings);

    private static Exception ValidateOnStart(params (string Key, string Value)[] settings) => PluginServices.ValidateOnStart(new RewardsPlugin(), settings);

    [Theory]
    [InlineData("terminal")]
    [InlineData("strict")]
    [InlineData("process")]
    public void DefaultsValidateAndResolveEachReward(string name)
    {
        using var provider = Build();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var reward = provider.GetRequiredKeyedService<IReward>(name);
        Assert.Equal(1.0, reward.Score(Verifications.Sum, Verifications.Completion, Verifications.Right).Value);
    }

    [Fact]
    public void RegistersTheRewardsInTheCatalog()
    {
        using var provider = Build();
        var descriptors = provider.GetServices<ComponentDescriptor>().ToList();
        Assert.Contains(descriptors, d => d is { Kind: ComponentKind.Reward, Name: "terminal", OptionsType: null });
        Assert.Contains(descriptors, d => d is { Kind: ComponentKind.Reward, Name: "strict", OptionsType: null });
        Assert.Contains(descriptors, d => d is { Kind: ComponentKind.Reward, Name: "process", ConfigSection: "Rewards:Process" }
            && d.OptionsType == typeof(ProcessRewardOptions));
    }

    [Fact]
    public void ConfiguredValuesReachTheProcessReward()
    {
        using var provider = Build(("Rewards:Process:WrongStep", "-1"), ("Rewards:Process:IncludeAnswer", "false"));
        provider.GetRequiredService<IStartupValidator>().Validate();
        var score = provider.GetRequiredKeyedService<IReward>("process")
            .Score(Verifications.Sum, Verifications.Completion, Verifications.WrongStepRightAnswer);
        Assert.Equal([new StepReward(8, -1.0), new StepReward(16, 1.0)], score.Steps);
    }

    [Theory]
    [InlineData("CorrectStep", "1e9")]
    [InlineData("WrongStep", "-1e9")]
    [InlineData("CorrectStep", "NaN")]
    [InlineData("WrongStep", "Infinity")]
    public void OutOfRangeValueNamesTheFullKey(string key, string value)
    {
        var e = Assert.IsType<OptionsValidationException>(ValidateOnStart(($"Rewards:Process:{key}", value)));
        Assert.Contains($"Rewards:Process:{key}", e.Message);
    }

    [Fact]
    public void WrongStepAboveCorrectStepNamesBothKeys()
    {
        var e = Assert.IsType<OptionsValidationException>(ValidateOnStart(
            ("Rewards:Process:CorrectStep", "0"), ("Rewards:Process:WrongStep", "1")));
        Assert.Contains("Rewards:Process:CorrectStep must be > Rewards:Process:WrongStep", e.Message);
    }

    [Fact]
    public void UnknownKeyNamesTheKey()
    {
        var e = ValidateOnStart(("Rewards:Process:IncludeAnswers", "true"));
        Assert.IsType<InvalidOperationException>(e);
        Assert.Contains("IncludeAnswers", e.Message);
    }

    [Fact]
    public void HostWithBadOptionsFailsToStartWithEveryMessage()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rewards:Process:CorrectStep"] = "-5000",
        });
        builder.Services.AddRlvrRewards();
        using var host = builder.Build();

        var e = Assert.Throws<OptionsValidationException>(() => host.StartAsync().GetAwaiter().GetResult());
        Assert.Contains(e.Failures, f => f.Contains("Rewards:Process:CorrectStep = '-5000'"));                  // [Range]
        Assert.Contains(e.Failures, f => f.Contains("Rewards:Process:CorrectStep must be > Rewards:Process:WrongStep"));
    }
}
