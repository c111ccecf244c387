// Registration and options binding through a real service collection and configuration, as the host does it.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rlvr.Curricula;
using Rlvr.Plugins.Curricula.Tests.Support;
using Rlvr.Testing;

namespace Rlvr.Plugins.Curricula.Tests;

public class CurriculaRegistrationTests
{
    private static ServiceProvider Build(params (string Key, string Value)[] settings) => PluginServices.Build(new CurriculaPlugin(), settings);

    private static Exception ValidateOnStart(params (string Key, string Value)[] settings) => PluginServices.ValidateOnStart(new CurriculaPlugin(), settings);

    [Theory]
    [InlineData("mixture", "Curricula:Mixture", typeof(MixtureOptions))]
    [InlineData("staged", "Curricula:Staged", typeof(StagedOptions))]
    [InlineData("adaptive", "Curricula:Adaptive", typeof(AdaptiveOptions))]
    [InlineData("success-rate", "Curricula:SuccessRate", typeof(SuccessRateOptions))]
    public void EachCurriculumIsACatalogComponentWithItsSection(string name, string section, Type options)
    {
        using var provider = Build();
        provider.GetRequiredService<IStartupValidator>().Validate();   // every default is valid: all sections are checked, selected or not
        Assert.Contains(provider.GetServices<ComponentDescriptor>(), d => d.Kind == ComponentKind.Curriculum && d.Name == name
            && d.ConfigSection == section && d.OptionsType == options);
        Assert.NotNull(provider.GetRequiredKeyedService<ICurriculum>(name));
    }

    [Fact]
    public void ConfiguredBandsAndStagesReachTheCurricula()
    {
        using var provider = Build(
            ("Curricula:Mixture:Bands:0:Min", "5"), ("Curricula:Mixture:Bands:0:Max", "5"), ("Curricula:Mixture:Bands:0:Weight", "0.5"),
            ("Curricula:Staged:Stages:0:FromStep", "0"), ("Curricula:Staged:Stages:0:Min", "3"), ("Curricula:Staged:Stages:0:Max", "3"),
            ("Curricula:Adaptive:StartDifficulty", "4"),
            ("Curricula:SuccessRate:MinDifficulty", "6"));
        provider.GetRequiredService<IStartupValidator>().Validate();
        int Difficulty(string name) => provider.GetRequiredKeyedService<ICurriculum>(name).Next(1, new SeededSource(1, 6), new Random(1)).Single().Difficulty;

        Assert.Equal(5, Difficulty("mixture"));
        Assert.Equal(3, Difficulty("staged"));
        Assert.Equal(4, Difficulty("adaptive"));
        Assert.Equal(6, Difficulty("success-rate"));
    }

    [Theory]
    [InlineData("Curricula:Mixture:Bands:0:Weight", "0", "Curricula:Mixture:Bands:0:Weight = '0': must be a positive number")]
    [InlineData("Curricula:Mixture:Bands:0:Weight", "NaN", "Curricula:Mixture:Bands:0:Weight = 'NaN': must be a positive number")]
    [InlineData("Curricula:Mixture:Bands:0:Min", "4", "Curricula:Mixture:Bands:0:Min = '4' must be <= Curricula:Mixture:Bands:0:Max = '3'")]
    [InlineData("Curricula:Staged:Stages:0:FromStep", "5", "Curricula:Staged:Stages:0:FromStep = '5': the first stage must start at step 0")]
    [InlineData("Curricula:Staged:Stages:1:FromStep", "0", "Curricula:Staged:Stages:1:FromStep = '0': must be greater than the previous stage's FromStep")]
    [InlineData("Curricula:Adaptive:Window", "0", "Curricula:Adaptive:Window = '0'")]
    [InlineData("Curricula:Adaptive:Lower", "0.8", "Curricula:Adaptive:Lower must be < Curricula:Adaptive:Upper")]
    [InlineData("Curricula:Adaptive:StartDifficulty", "-1", "Curricula:Adaptive:StartDifficulty = '-1'")]
    [InlineData("Curricula:SuccessRate:PoolSize", "0", "Curricula:SuccessRate:PoolSize = '0'")]
    [InlineData("Curricula:SuccessRate:Floor", "0", "Curricula:SuccessRate:Floor = '0'")]
    [InlineData("Curricula:SuccessRate:Decay", "1", "Curricula:SuccessRate:Decay = '1'")]
    [InlineData("Curricula:SuccessRate:Prior", "1.5", "Curricula:SuccessRate:Prior = '1.5'")]
    [InlineData("Curricula:SuccessRate:RefreshShare", "0", "Curricula:SuccessRate:RefreshShare = '0'")]
    [InlineData("Curricula:SuccessRate:MinDifficulty", "5", "Curricula:SuccessRate:MinDifficulty must be <= Curricula:SuccessRate:MaxDifficulty")]
    public void ABadValueIsRejectedNamingItsKey(string key, string value, string message)
    {
        // A valid band and two valid stages, overridden by the bad value, so each case breaks exactly one rule.
        var settings = new Dictionary<string, string>
        {
            ["Curricula:Mixture:Bands:0:Min"] = "2", ["Curricula:Mixture:Bands:0:Max"] = "3",
            ["Curricula:Staged:Stages:0:FromStep"] = "0", ["Curricula:Staged:Stages:1:FromStep"] = "50",
            ["Curricula:SuccessRate:MaxDifficulty"] = "4",
            [key] = value,
        };
        var e = Assert.IsType<OptionsValidationException>(ValidateOnStart(settings.Select(s => (s.Key, s.Value)).ToArray()));
        Assert.Contains(e.Failures, f => f.StartsWith(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Curricula:Adaptive:Windows", "Windows")]
    [InlineData("Curricula:Mixture:Bands:0:Weigth", "Weigth")]
    public void AnUnknownKeyIsNamed(string key, string unknown)
    {
        var e = Assert.IsType<InvalidOperationException>(ValidateOnStart((key, "1")));
        Assert.Contains(unknown, e.GetBaseException().Message);   // inside a list element, the binder names it in the inner exception
    }
}
