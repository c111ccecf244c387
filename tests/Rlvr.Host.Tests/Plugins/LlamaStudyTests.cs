// The llama architecture through the host, fresh from its options: a tiny study pretrains a Llama-shaped model from
// scratch, evaluates it, trains a GRPO arm through its key/value cache, and repeats to the same numbers from the same seed.
using Rlvr.Host.Studies;
using Rlvr.Host.Tests.Support;

namespace Rlvr.Host.Tests.Plugins;

[Collection(SerialStudiesCollection.Name)]
public sealed class LlamaStudyTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlvr-llama-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private StudyResult Run(string name) => TinyStudy.Run(
    [
        .. TinyStudy.Overrides(Path.Combine(_root, name)), "--Components:Model=llama",
        "--Models:Llama:HiddenSize=32", "--Models:Llama:Layers=1", "--Models:Llama:Heads=4", "--Models:Llama:KeyValueHeads=2",
        "--Models:Llama:IntermediateSize=64", "--Models:Llama:ContextLength=32",
        "--Train:Steps=2", "--Arms:grpo:Components:Algorithm=grpo",
    ]);

    [Fact]
    public void ATinyStudyPretrainsEvaluatesAndTrainsAFreshLlamaAndRepeatsFromTheSameSeed()
    {
        var first = Run("first");

        TinyStudy.AssertTrainsAndRepeats(first, Run("second"));
        Assert.Contains("\"llama\"", TinyStudy.BaseConfig(first));    // the run used this architecture
    }
}
