// Registration and options binding through a real service collection and configuration, as the host does it.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Rlvr.Tasks;
using Rlvr.Testing;

namespace Rlvr.Plugins.Arithmetic.Tests;

public class ArithmeticOptionsTests
{
    private static ServiceProvider Build(params (string Key, string Value)[] settings) => PluginServices.Build(new ArithmeticPlugin(), settings);

    private static Exception ValidateOnStart(params (string Key, string Value)[] settings) => PluginServices.ValidateOnStart(new ArithmeticPlugin(), settings);

    [Fact]
    public void DefaultsValidateAndResolveBothComponents()
    {
        using var provider = Build();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var task = provider.GetRequiredKeyedService<IProblemGenerator>("arithmetic");
        Assert.Equal(new DifficultyRange(2, 6), task.Difficulties);
        var problem = task.Generate(4, new Random(1));
        Assert.True(provider.GetRequiredKeyedService<IVerifier>("arithmetic").Verify(problem, problem.Solution).AllStepsCorrect);
    }

    [Fact]
    public void ConfiguredValuesReachTheTask()
    {
        using var provider = Build(
            ("Tasks:Arithmetic:Generator", "dependency-graph"),
            ("Tasks:Arithmetic:MinDifficulty", "1"),
            ("Tasks:Arithmetic:MaxDifficulty", "12"));
        provider.GetRequiredService<IStartupValidator>().Validate();

        var task = provider.GetRequiredKeyedService<IProblemGenerator>("arithmetic");
        Assert.Equal(new DifficultyRange(1, 12), task.Difficulties);
        Assert.EndsWith("?", task.Generate(12, new Random(1)).Prompt);
    }

    [Fact]
    public void RegistersTheTaskAndVerifierInTheCatalog()
    {
        using var provider = Build();
        var descriptors = provider.GetServices<ComponentDescriptor>().ToList();
        Assert.Contains(descriptors, d => d is { Kind: ComponentKind.Task, Name: "arithmetic", ConfigSection: "Tasks:Arithmetic" }
            && d.OptionsType == typeof(ArithmeticOptions));
        Assert.Contains(descriptors, d => d is { Kind: ComponentKind.Verifier, Name: "arithmetic" });
    }

    [Fact]
    public void MinDifficultyAboveMaxDifficultyNamesBothKeys()
    {
        var e = Assert.IsType<OptionsValidationException>(ValidateOnStart(
            ("Tasks:Arithmetic:MinDifficulty", "5"), ("Tasks:Arithmetic:MaxDifficulty", "3")));
        Assert.Contains("Tasks:Arithmetic:MinDifficulty must be <= Tasks:Arithmetic:MaxDifficulty", e.Message);
    }

    [Fact]
    public void ChainSumOfOneTermNamesTheKey()
    {
        var e = Assert.IsType<OptionsValidationException>(ValidateOnStart(("Tasks:Arithmetic:MinDifficulty", "1")));
        Assert.Contains("Tasks:Arithmetic:MinDifficulty must be >= 2", e.Message);
    }

    [Fact]
    public void LiteralAboveMaxOperandNamesTheKeys()
    {
        var e = Assert.IsType<OptionsValidationException>(ValidateOnStart(
            ("Tasks:Arithmetic:Generator", "dependency-graph"), ("Tasks:Arithmetic:MaxOperand", "5"), ("Tasks:Arithmetic:MaxConstant", "9")));
        Assert.Contains("Tasks:Arithmetic:MaxConstant must be <= Tasks:Arithmetic:MaxOperand", e.Message);
    }

    [Theory]
    [InlineData("MaxOperand", "1")]
    [InlineData("MaxDifficulty", "21")]
    [InlineData("Generator", "chain-product")]
    public void OutOfRangeValueNamesTheKey(string key, string value)
    {
        var e = Assert.IsType<OptionsValidationException>(ValidateOnStart(($"Tasks:Arithmetic:{key}", value)));
        Assert.Contains(key, e.Message);
    }

    [Fact]
    public void UnknownKeyNamesTheKey()
    {
        var e = ValidateOnStart(("Tasks:Arithmetic:MaxOperands", "20"));
        Assert.IsType<InvalidOperationException>(e);
        Assert.Contains("MaxOperands", e.Message);
    }

    [Fact]
    public void HostWithBadOptionsFailsToStartWithEveryMessage()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tasks:Arithmetic:MinDifficulty"] = "1",
            ["Tasks:Arithmetic:MaxDifficulty"] = "0",
        });
        builder.Services.AddArithmetic();
        using var host = builder.Build();

        var e = Assert.Throws<OptionsValidationException>(() => host.StartAsync().GetAwaiter().GetResult());
        Assert.Contains(e.Failures, f => f.Contains("MaxDifficulty"));                                           // [Range]
        Assert.Contains(e.Failures, f => f.Contains("Tasks:Arithmetic:MinDifficulty must be <= Tasks:Arithmetic:MaxDifficulty"));
        Assert.Contains(e.Failures, f => f.Contains("Tasks:Arithmetic:MinDifficulty must be >= 2"));
    }
}
