// Samples/RealModel/study.json as written, on a small stand-in for a Hugging Face checkpoint: a Llama-shaped model
// pretrained briefly on word problems and exported by rlvr export's own code, beside a byte-level tokenizer.json,
// with two tiny JSONL files for GSM8K. What is checked is the machinery a real checkpoint goes through.
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Host.Runs;
using Rlvr.Host.Studies;
using Rlvr.Host.Tests.Support;
using static TorchSharp.torch;

namespace Rlvr.Host.Tests.Samples;

public sealed class RealModelSampleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rlvr-real-model-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void TheStudyStartsFromTheCheckpointAsLoadedAndTrainsAndEvaluatesBothArms()
    {
        string checkpoint = Path.Combine(_folder, "checkpoint"), train = Path.Combine(_folder, "train.jsonl"), test = Path.Combine(_folder, "test.jsonl");
        Directory.CreateDirectory(checkpoint);
        File.WriteAllLines(train, Enumerable.Range(1, 8).Select(WordProblemFiles.Line));
        File.WriteAllLines(test, Enumerable.Range(20, 4).Select(WordProblemFiles.Line));
        File.WriteAllText(Path.Combine(checkpoint, "tokenizer.json"), WordProblemFiles.ByteFallbackTokenizer().ToJsonString());
        string[] data =
        [
            $"--Tokenizers:HuggingFace:Path={checkpoint}", $"--Tasks:WordProblems:TrainFile={train}", $"--Tasks:WordProblems:HeldOutFile={test}",
            "--Tasks:WordProblems:PromptTemplate={question}=", "--Evaluation:Problems=4", "--Evaluation:Samples=4",
        ];

        // The stand-in checkpoint: 1 layer, width 32, grouped-query attention, pretrained on 2,000 tokens, exported.
        var pretrained = TinyStudy.Run(
        [
            "--Components:Model=llama", "--Components:Tokenizer=hf-tokenizer", "--Components:Task=word-problems", "--Components:Verifier=word-problems",
            "--Models:Llama:HiddenSize=32", "--Models:Llama:Layers=1", "--Models:Llama:Heads=2", "--Models:Llama:KeyValueHeads=1",
            "--Models:Llama:IntermediateSize=64", "--Models:Llama:ContextLength=64", "--Pretrain:TokenBudget=2000", "--Pretrain:BatchSize=8",
            .. data, "--Run:Name=stand-in", $"--Run:RunRoot={Path.Combine(_folder, "runs")}",
        ]).Seeds.Single().Base;
        ModelExport.Export(pretrained.RunFolder, checkpoint, new RlvrHostSettings());

        var builder = RlvrHostBuilder.Create(new RlvrHostSettings
        {
            ConfigFile = Path.Combine(Repository.Root, "Samples", "RealModel", "study.json"),
            Overrides =
            [
                $"--Models:Llama:Path={checkpoint}", "--Models:Llama:ContextLength=64", .. data, "--Seeds=1",
                "--Evaluation:MaxNewTokens=24", "--Rollout:MaxNewTokens=24", "--Train:Steps=2", "--Train:CheckpointEvery=1",
                "--Algorithms:Grpo:PromptsPerStep=2", "--Algorithms:Grpo:GroupSize=4", "--Algorithms:Grpo:MiniBatches=2",
                $"--Run:RunRoot={Path.Combine(_folder, "runs")}",
            ],
        });
        using var host = builder.Build();
        var seed = new StudyRunner(builder).Run(host).Seeds.Single();

        Assert.Equal(0, seed.Base.Pretraining.Steps);
        Assert.Equal(4, seed.Base.Evaluation.PerProblem.Count);
        Assert.Equal(["control", "grpo"], seed.Arms.Select(a => a.Arm).Order());
        Assert.All(seed.Arms, arm => Assert.Equal(2, arm.Training.Steps));
        Assert.All(seed.Arms, arm => Assert.Equal(4, arm.Evaluation.PerProblem.Count));

        // The base is the checkpoint, weight for weight: not pretrained again.
        var components = host.Services.GetRequiredService<RunComposer>().Compose(device: "cpu");
        using var loaded = components.LoadModel(seed.Base.ModelPath, seed: 7);
        using var original = components.LoadModel(pretrained.ModelPath, seed: 7);
        SameWeights.Assert(original, loaded, "differs from the checkpoint");
    }
}
