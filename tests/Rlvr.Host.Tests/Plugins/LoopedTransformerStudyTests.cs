// The looped transformer through the host: a tiny study pretrains it, evaluates it on held-out problems, trains a
// GRPO arm through its key/value cache, and does all of it again to the same numbers from the same seed.
using Rlvr.Host.Studies;
using Rlvr.Host.Tests.Support;

namespace Rlvr.Host.Tests.Plugins;

[Collection(SerialStudiesCollection.Name)]
public sealed class LoopedTransformerStudyTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlvr-looped-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private StudyResult Run(string name) => TinyStudy.Run(
    [
        .. TinyStudy.Overrides(Path.Combine(_root, name)), "--Components:Model=looped-transformer",
        "--Models:LoopedTransformer:Blocks=1", "--Models:LoopedTransformer:Loops=2", "--Models:LoopedTransformer:Width=32",
        "--Models:LoopedTransformer:Heads=2", "--Models:LoopedTransformer:ContextLength=32", "--Models:LoopedTransformer:Positions=rope",
        "--Train:Steps=2", "--Arms:grpo:Components:Algorithm=grpo",
    ]);

    [Fact]
    public void ATinyStudyPretrainsEvaluatesAndTrainsTheLoopedModelAndRepeatsFromTheSameSeed()
    {
        var first = Run("first");

        TinyStudy.AssertTrainsAndRepeats(first, Run("second"));
        Assert.Contains("\"looped-transformer\"", TinyStudy.BaseConfig(first));    // the run used this architecture
    }
}
