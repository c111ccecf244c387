using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Rlvr.Host.Data;
using Rlvr.Host.Evaluation;
using Rlvr.Host.Plugins;
using Rlvr.Host.Pretraining;
using Rlvr.Models;
using Rlvr.Tasks;
using Rlvr.Tokenizers;
using TorchSharp;

namespace Rlvr.Host.Tests.Runs;

/// <summary>End to end through the repository's plugins: a tiny transformer pretrained briefly beats an untrained one.</summary>
public sealed class PretrainingLearnsTests
{
    [Fact]
    public void PretrainedModelBeatsAnUntrainedOneOnPassAt1()
    {
        // Easy setting: sums of two numbers below 10, a 2-layer model of width 64.
        var builder = RlvrHostBuilder.Create(new RlvrHostSettings
        {
            Overrides =
            [
                "--Models:Transformer:Layers=2", "--Models:Transformer:Width=64", "--Models:Transformer:Heads=2", "--Models:Transformer:ContextLength=32",
                "--Tasks:Arithmetic:MinDifficulty=2", "--Tasks:Arithmetic:MaxDifficulty=2", "--Tasks:Arithmetic:MaxOperand=9",
            ],
        });
        using var host = builder.Build();
        var catalog = host.Services.GetRequiredService<ComponentCatalog>();
        var task = catalog.Get<IProblemGenerator>("arithmetic");
        var verifier = catalog.Get<IVerifier>("arithmetic");
        var tokenizer = catalog.Get<ITokenizerFactory>("char").Create(task.Alphabet);
        var heldOut = ProblemSets.HeldOut(task, task.Difficulties, count: 16, seed: 1);
        var evaluator = new Evaluator(new EvaluationOptions { Problems = 16, Samples = 8, BootstrapResamples = 100 }, NullLogger.Instance);
        torch.set_num_threads(Math.Min(2, Environment.ProcessorCount));

        using var untrained = catalog.Get<IModelArchitecture>("transformer").Create(tokenizer.VocabularySize, torch.CPU, seed: 1);
        double before = evaluator.Evaluate(untrained, tokenizer, verifier, heldOut, seed: 1).PassAtK[0].Answer.Mean;

        using var model = catalog.Get<IModelArchitecture>("transformer").Create(tokenizer.VocabularySize, torch.CPU, seed: 1);
        var options = new PretrainOptions { TokenBudget = 250_000, BatchSize = 32, LearningRate = 3e-3, WarmupSteps = 20, StepError = 0, LogEvery = 1000 };
        var summary = new Pretrainer(options, NullLogger.Instance, []).Train(model, tokenizer, task, ProblemSets.Training(task, heldOut), new Random(1));
        double after = evaluator.Evaluate(model, tokenizer, verifier, heldOut, seed: 1).PassAtK[0].Answer.Mean;

        Assert.True(summary.FinalLoss < summary.FirstLoss / 2, $"loss {summary.FirstLoss:F3} -> {summary.FinalLoss:F3}");
        Assert.True(before < 0.05, $"an untrained model solved {before:P1}: the answer is a lucky draw at best");
        Assert.True(after >= 0.3, $"pass@1 {before:F3} -> {after:F3} after {summary.Steps} steps");
    }
}
