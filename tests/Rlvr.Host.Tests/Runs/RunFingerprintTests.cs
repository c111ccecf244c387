using Microsoft.Extensions.Configuration;
using Rlvr.Host.Runs;

namespace Rlvr.Host.Tests.Runs;

public sealed class RunFingerprintTests
{
    private static string Of(params (string Key, string Value)[] pairs) =>
        RunFingerprint.Of(new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build());

    [Theory]
    [InlineData("0.00005", "5e-05")]
    [InlineData("0.00005", "5E-5")]
    [InlineData("0.001", "1e-3")]
    [InlineData("100", "1E2")]
    [InlineData("1.5", "1.50")]
    [InlineData("8", "08")]
    [InlineData("True", "true")]
    [InlineData("False", "FALSE")]
    public void AValueWrittenTwoWaysHasOneFingerprint(string one, string other) =>
        Assert.Equal(Of(("Algorithms:Grpo:LearningRate", one)), Of(("Algorithms:Grpo:LearningRate", other)));

    [Theory]
    [InlineData("0.00005", "0.00006")]
    [InlineData("9007199254740993", "9007199254740992")]   // beyond a double's integers
    [InlineData("grpo", "Grpo")]                            // names are not numbers
    public void DifferentValuesHaveDifferentFingerprints(string one, string other) =>
        Assert.NotEqual(Of(("Components:Algorithm", one)), Of(("Components:Algorithm", other)));

    [Theory]
    [InlineData("0.00005")]
    [InlineData("0.001")]
    [InlineData("2000000")]
    [InlineData("-3")]
    [InlineData("0.99")]
    [InlineData("True")]
    [InlineData("grpo")]
    [InlineData("1e-3x")]
    public void AValueAlreadyWrittenCanonicallyIsHashedAsWritten(string value) =>
        Assert.Equal($"Pretrain:LearningRate={value}", Of(("Pretrain:LearningRate", value)));

    [Fact]
    public void AFileChangedUnderTheSamePathIsAnotherConfiguration()
    {
        string folder = Directory.CreateTempSubdirectory("rlvr-fingerprint-").FullName, file = Path.Combine(folder, "train.jsonl");
        File.WriteAllText(file, "{\"question\": \"1+2\", \"answer\": \"#### 3\"}\n");
        string before = Of(("Tasks:WordProblems:TrainFile", file));
        Assert.Equal(before, Of(("Tasks:WordProblems:TrainFile", file)));
        Assert.Contains($"Tasks:WordProblems:TrainFile={file}", before);
        Assert.Contains("Tasks:WordProblems:TrainFile@content=", before);

        File.WriteAllText(file, "{\"question\": \"1+2\", \"answer\": \"#### 4\"}\n");   // same size, other content
        File.SetLastWriteTimeUtc(file, File.GetLastWriteTimeUtc(file).AddSeconds(1));
        Assert.NotEqual(before, Of(("Tasks:WordProblems:TrainFile", file)));
    }

    [Fact]
    public void AFolderStandsForTheFilesInIt()
    {
        string folder = Directory.CreateTempSubdirectory("rlvr-fingerprint-").FullName;
        File.WriteAllText(Path.Combine(folder, "config.json"), "{}");
        string before = Of(("Models:Llama:Path", folder));
        File.WriteAllText(Path.Combine(folder, "model.safetensors"), "weights");
        Assert.NotEqual(before, Of(("Models:Llama:Path", folder)));
    }

    [Theory]
    [InlineData("grpo")]
    [InlineData("no/such/file.jsonl")]
    [InlineData("0.5")]
    public void AValueThatNamesNoFileIsItsTextAlone(string value) =>
        Assert.Equal($"Components:Algorithm={value}", Of(("Components:Algorithm", value)));
}
