// Registration and options binding through a real service collection and configuration, as the host does it.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Rlvr.FineTuning;
using Rlvr.Plugins.FineTuning.Tests.Support;
using Rlvr.Training;
using Rlvr.Testing;

namespace Rlvr.Plugins.FineTuning.Tests;

public class FineTuningRegistrationTests
{
    private static ServiceProvider Build(params (string Key, string Value)[] settings) => PluginServices.Build(new FineTuningPlugin(), settings);

    private static Exception ValidateOnStart(params (string Key, string Value)[] settings) => PluginServices.ValidateOnStart(new FineTuningPlugin(), settings);

    [Fact]
    public void DefaultsMatchTheDesign()
    {
        using var provider = Build();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var sft = provider.GetRequiredService<IOptions<SftOptions>>().Value;
        var rft = provider.GetRequiredService<IOptions<RejectionSamplingOptions>>().Value;
        Assert.Equal((1e-4, 10, 1.0, 0.0, 0.9, 0.99, 1.0, 32),
            (sft.LearningRate, sft.WarmupSteps, sft.MinLearningRateRatio, sft.WeightDecay, sft.Beta1, sft.Beta2, sft.GradClip, sft.ProblemsPerStep));
        Assert.Equal((16, 8, 1.0, true), (rft.PromptsPerStep, rft.GroupSize, rft.Threshold, rft.DistinctOnly));
    }

    [Fact]
    public void RegistersBothAlgorithmsInTheCatalog()
    {
        using var provider = Build();
        var descriptors = provider.GetServices<ComponentDescriptor>().ToList();
        Assert.Contains(descriptors, d => d is { Kind: ComponentKind.Algorithm, Name: "sft", ConfigSection: "Algorithms:Sft" }
            && d.OptionsType == typeof(SftOptions));
        Assert.Contains(descriptors, d => d is { Kind: ComponentKind.Algorithm, Name: "rejection-sampling", ConfigSection: "Algorithms:RejectionSampling" }
            && d.OptionsType == typeof(RejectionSamplingOptions));
    }

    [Fact]
    public void EachAlgorithmReadsItsOwnSection()
    {
        using var provider = Build(("Algorithms:Sft:LearningRate", "0.002"), ("Algorithms:RejectionSampling:LearningRate", "0.0005"),
            ("Algorithms:RejectionSampling:GroupSize", "4"), ("Algorithms:Sft:ProblemsPerStep", "3"));
        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal((0.002, 3), (provider.GetRequiredService<IOptions<SftOptions>>().Value.LearningRate, provider.GetRequiredService<IOptions<SftOptions>>().Value.ProblemsPerStep));
        Assert.Equal((0.0005, 4), (provider.GetRequiredService<IOptions<RejectionSamplingOptions>>().Value.LearningRate, provider.GetRequiredService<IOptions<RejectionSamplingOptions>>().Value.GroupSize));
    }

    [Fact]
    public void ResolvedAlgorithmsTrain()
    {
        using var provider = Build(("Algorithms:Sft:ProblemsPerStep", "2"));
        using var policy = TinyWorld.Policy();
        var algorithm = provider.GetRequiredKeyedService<IAlgorithm>("sft");
        using var session = algorithm.Begin(TinyWorld.Context(policy, new GeneratedProblems(seed: 1)));
        Assert.True(double.IsFinite(session.Step()["loss"]));
        Assert.NotNull(provider.GetRequiredKeyedService<IAlgorithm>("rejection-sampling"));
    }

    [Theory]
    [InlineData("Algorithms:Sft:LearningRate", "0")]
    [InlineData("Algorithms:Sft:Beta2", "1")]
    [InlineData("Algorithms:Sft:MinLearningRateRatio", "1.5")]
    [InlineData("Algorithms:Sft:ProblemsPerStep", "0")]
    [InlineData("Algorithms:Sft:GradClip", "-1")]
    [InlineData("Algorithms:RejectionSampling:GroupSize", "0")]
    [InlineData("Algorithms:RejectionSampling:Threshold", "NaN")]
    [InlineData("Algorithms:RejectionSampling:WarmupSteps", "-1")]
    public void OutOfRangeValueNamesTheFullKey(string key, string value)
    {
        var e = Assert.IsType<OptionsValidationException>(ValidateOnStart((key, value)));
        Assert.Contains(key, e.Message);
    }

    [Fact]
    public void UnknownKeyNamesTheKey()
    {
        var e = ValidateOnStart(("Algorithms:RejectionSampling:Treshold", "0.5"));
        Assert.IsType<InvalidOperationException>(e);
        Assert.Contains("Treshold", e.Message);
    }

    [Fact]
    public void HostWithBadOptionsFailsToStartWithEveryMessage()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Algorithms:Sft:WeightDecay"] = "2",
            ["Algorithms:RejectionSampling:PromptsPerStep"] = "0",
        });
        builder.Services.AddFineTuning();
        using var host = builder.Build();

        // Two options types fail, so the startup validator reports them together in an AggregateException.
        var e = Assert.Throws<AggregateException>(() => host.StartAsync().GetAwaiter().GetResult());
        var failures = e.InnerExceptions.OfType<OptionsValidationException>().SelectMany(x => x.Failures).ToList();
        Assert.Contains(failures, f => f.Contains("Algorithms:Sft:WeightDecay = '2'"));
        Assert.Contains(failures, f => f.Contains("Algorithms:RejectionSampling:PromptsPerStep = '0'"));
    }
}
