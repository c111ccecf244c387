using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rlvr.Tasks;

namespace Rlvr.Abstractions.Tests;

public sealed class RegistrationTests
{
    private sealed class EchoVerifier : IVerifier
    {
        public Verification Verify(Problem problem, string completion) => new(completion == problem.Answer, []);
    }

    public sealed class KnobOptions
    {
        [Range(1, 10)] public int Level { get; set; } = 3;
        [AllowedValues("low", "high")] public string Mode { get; set; } = "low";
    }

    private sealed class KnobVerifier(IOptions<KnobOptions> options) : IVerifier
    {
        public Verification Verify(Problem problem, string completion) => new(options.Value.Level > 0, []);
    }

    private static ServiceProvider Build(Action<IServiceCollection> register, params (string Key, string Value)[] config)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(config.Select(c => KeyValuePair.Create(c.Key, (string?)c.Value))).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        register(services);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void ComponentIsAKeyedSingletonWithADescriptor()
    {
        using var provider = Build(s => s.AddVerifier<EchoVerifier>("echo"));

        var descriptor = Assert.Single(provider.GetServices<ComponentDescriptor>());
        Assert.Equal(new ComponentDescriptor(ComponentKind.Verifier, "echo", typeof(IVerifier), typeof(EchoVerifier), null, null), descriptor);
        Assert.Same(provider.GetRequiredKeyedService<IVerifier>("echo"), provider.GetRequiredKeyedService<IVerifier>("echo"));
    }

    [Theory]
    [InlineData("Echo")]
    [InlineData("dr_grpo")]
    [InlineData("-grpo")]
    [InlineData("")]
    public void NamesMustBeKebabCase(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddVerifier<EchoVerifier>(name));
        Assert.Contains("kebab-case", e.Message);
    }

    [Fact]
    public void OptionsFailuresNameTheConfigPathAndTheAllowedValues()
    {
        using var provider = Build(s => s.AddComponent<IVerifier, KnobVerifier, KnobOptions>("knob", "Verifiers:Knob"),
            ("Verifiers:Knob:Level", "11"), ("Verifiers:Knob:Mode", "medium"));

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<KnobOptions>>().Value);
        Assert.Equal(
            ["Verifiers:Knob:Level = '11': The field Level must be between 1 and 10.", "Verifiers:Knob:Mode = 'medium': must be one of 'low', 'high'"],
            e.Failures);
    }

    [Fact]
    public void UnknownKeysAreErrors()
    {
        using var provider = Build(s => s.AddComponent<IVerifier, KnobVerifier, KnobOptions>("knob", "Verifiers:Knob"), ("Verifiers:Knob:Levle", "2"));
        var e = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IOptions<KnobOptions>>().Value);
        Assert.Contains("Levle", e.Message);
    }

    [Fact]
    public void BindingOneOptionsTypeTwiceRegistersItOnce()
    {
        var services = new ServiceCollection();
        services.AddComponentOptions<KnobOptions>("A");
        services.AddComponentOptions<KnobOptions>("A");
        Assert.Single(services, d => d.ImplementationInstance is OptionsSection);
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<KnobOptions>));
    }

    [Fact]
    public void StrictOutcomeNeedsTheAnswerAndEveryStep()
    {
        Assert.True(new Verification(true, [new(0, 4, 1), new(4, 4, 1)]).AllStepsCorrect);
        Assert.False(new Verification(true, [new(0, 4, 1), new(4, 4, 0)]).AllStepsCorrect);
        Assert.False(new Verification(false, [new(0, 4, 1)]).AllStepsCorrect);
        Assert.False(new Verification(true, []).AllStepsCorrect);
        Assert.Equal(0.0, Verification.Wrong.Score);
    }
}
