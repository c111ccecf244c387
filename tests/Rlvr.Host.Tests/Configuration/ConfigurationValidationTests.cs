using Microsoft.Extensions.DependencyInjection;
using Rlvr.Host.Configuration;
using Rlvr.Host.Tests.Support;

namespace Rlvr.Host.Tests.Configuration;

[Collection(ExternalPluginsCollection.Name)]
public sealed class ConfigurationValidationTests(ExternalPluginsFixture external)
{
    private IReadOnlyList<string> Validate(params string[] overrides) => ValidateFile(configFile: null, overrides);

    private IReadOnlyList<string> ValidateFile(string? configFile, params string[] overrides)
    {
        var builder = RlvrHostBuilder.Create(new RlvrHostSettings { ConfigFile = configFile, Overrides = overrides, PluginFolders = [external.Bigram] });
        using var host = builder.Build();
        return host.Services.GetRequiredService<ConfigurationValidator>().Validate();
    }

    [Fact]
    public void DefaultsAreValid() => Assert.Empty(Validate());

    [Fact]
    public void OutOfRangeValueNamesTheConfigPathAndTheRange()
    {
        var error = Assert.Single(Validate("--Models:Bigram:InitStd=-1"));
        Assert.Equal("Models:Bigram:InitStd = '-1': The field InitStd must be between 1E-06 and 10.", error);
    }

    [Fact]
    public void MoreMicroBatchesThanDocumentsOrMicroBatchesOfPackedRowsAreErrors()
    {
        Assert.Contains("Pretrain:MicroBatches must be at most Pretrain:BatchSize", Assert.Single(Validate("--Pretrain:BatchSize=8", "--Pretrain:MicroBatches=9")));
        Assert.Contains("Pretrain:MicroBatches must be 1 with Pretrain:Packing", Assert.Single(Validate("--Pretrain:MicroBatches=2", "--Pretrain:Packing=true")));
        Assert.Empty(Validate("--Pretrain:BatchSize=8", "--Pretrain:MicroBatches=8"));
    }

    [Fact]
    public void UnknownKeyNamesTheConfigPathAndTheKnownKeys()
    {
        var error = Assert.Single(Validate("--Models:Bigram:Layers=3"));
        Assert.Equal("Models:Bigram:Layers: unknown key; known keys: ContextLength, InitStd", error);
    }

    [Fact]
    public void ValueOfTheWrongTypeNamesTheConfigPath()
    {
        var error = Assert.Single(Validate("--Models:Bigram:ContextLength=ninety"));
        Assert.Contains("'Models:Bigram:ContextLength'", error);
    }

    [Fact]
    public void UnknownComponentNameListsTheKnownNames()
    {
        var error = Assert.Single(Validate("--Components:Tokenizer=chr", "--Components:Model=bigram"));
        Assert.Equal("Components:Tokenizer = 'chr': no tokenizer is registered as 'chr'; known: char, hf-tokenizer", error);
    }

    [Fact]
    public void SectionsThatNothingReadsAreErrors()
    {
        var errors = Validate("--Modles:Bigram:InitStd=1", "--Models:Bigramm:InitStd=1");
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Modles: not a known section; known sections: ", StringComparison.Ordinal) && e.Contains("Models", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Models:Bigramm: no registered component reads this section; sections here: ", StringComparison.Ordinal)
                                     && e.Contains("Models:Bigram", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryErrorIsListedAtOnce()
    {
        var errors = Validate("--Models:Bigram:InitStd=-1", "--Models:Bigram:ContextLength=0", "--Components:Model=gpt");
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void JsonFileIsReadAndOverridesWin()
    {
        string file = Path.Combine(external.Root, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{ "Components": { "Model": "bigram", "Tokenizer": "char" }, "Models": { "Bigram": { "InitStd": 50 } } }""");

        Assert.Single(ValidateFile(file));                                         // 50 is out of range
        Assert.Empty(ValidateFile(file, "--Models:Bigram:InitStd=0.5"));          // the override wins
    }

    [Fact]
    public void MissingOrMalformedConfigFileIsAClearError()
    {
        string missing = Path.Combine(external.Root, "missing.json");
        var e = Assert.Throws<ConfigurationErrorsException>(() => ValidateFile(missing));
        Assert.Contains("does not exist", e.Message);

        string malformed = Path.Combine(external.Root, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(malformed, """{ "Components": { "Model": """);
        e = Assert.Throws<ConfigurationErrorsException>(() => ValidateFile(malformed));
        Assert.Contains("is not valid JSON", e.Message);
    }

    [Fact]
    public void AnUnknownKeyDoesNotHideTheRangeErrorsOfItsSection()
    {
        var errors = Validate("--Models:Bigram:Layers=3", "--Models:Bigram:InitStd=-1");
        Assert.Equal(2, errors.Count);
        Assert.Contains("Models:Bigram:Layers: unknown key; known keys: ContextLength, InitStd", errors);
        Assert.Contains(errors, e => e.StartsWith("Models:Bigram:InitStd = '-1'", StringComparison.Ordinal));
    }

    [Fact]
    public void MalformedJsonNamesTheFileLineAndColumn()
    {
        string malformed = Path.Combine(external.Root, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(malformed, "{\n  \"Run\": { \"Name\": \"x\" },\n  \"Seeds\": [1 2]\n}\n");
        var e = Assert.Throws<ConfigurationErrorsException>(() => ValidateFile(malformed));
        Assert.Contains(malformed, e.Message);
        Assert.Contains("line 3, column 15", e.Message);
    }

    [Fact]
    public void MalformedOverrideIsAClearError()
    {
        var e = Assert.Throws<ConfigurationErrorsException>(() => Validate("Models:Bigram:InitStd=1"));
        Assert.Contains("--Section:Key=value", e.Message);
    }
}
