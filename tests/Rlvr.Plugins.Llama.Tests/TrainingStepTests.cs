// One GRPO step and one SFT step on the tiny Llama checkpoint, through the real algorithms, rollout engine and
// sampler: the algorithms use the model through the same contract as the transformer, unchanged.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Rlvr.Host.Data;
using Rlvr.Host.Scoring;
using Rlvr.Host.Training;
using Rlvr.Models;
using Rlvr.Plugins.Llama.Tests.Support;
using Rlvr.Rewards;
using Rlvr.Sampling;
using Rlvr.Tasks;
using Rlvr.Tokenizers;
using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Llama.Tests;

public sealed class TrainingStepTests : IDisposable
{
    private readonly ServiceProvider _services;

    public TrainingStepTests()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tasks:Arithmetic:Generator"] = "chain-sum",
            ["Tasks:Arithmetic:MinDifficulty"] = "2",
            ["Tasks:Arithmetic:MaxDifficulty"] = "2",
            ["Tasks:Arithmetic:MaxOperand"] = "9",
            ["Models:Llama:Path"] = Fixtures.Folder("llama"),          // vocabulary 64: the character tokenizer's ids and more
            ["Models:Llama:ContextLength"] = "48",
            ["Algorithms:Grpo:PromptsPerStep"] = "2",
            ["Algorithms:Grpo:GroupSize"] = "4",
            ["Algorithms:Sft:ProblemsPerStep"] = "4",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddArithmetic().AddCharTokenizer().AddLlama().AddPolicyGradient().AddFineTuning();
        _services = services.BuildServiceProvider();
    }

    public void Dispose() => _services.Dispose();

    // Rewards the digits a completion holds, so that a group's completions differ and GRPO's advantages are not all zero.
    private sealed class DigitsReward : IReward
    {
        public RewardScore Score(Problem problem, string completion, Verification verification) => new(completion.Count(char.IsDigit) / 10.0);
    }

    [Fact]
    public void OneGrpoStepUpdatesTheCheckpoint() => AssertOneStepUpdates("grpo");

    [Fact]
    public void OneSftStepUpdatesTheCheckpoint() => AssertOneStepUpdates("sft");

    private void AssertOneStepUpdates(string algorithm)
    {
        using var scope = NewDisposeScope();
        var task = _services.GetRequiredKeyedService<IProblemGenerator>("arithmetic");
        var tokenizer = _services.GetRequiredKeyedService<ITokenizerFactory>("char").Create(task.Alphabet);
        var architecture = _services.GetRequiredKeyedService<IModelArchitecture>("llama");
        using var policy = architecture.Create(tokenizer.VocabularySize, CPU, seed: 1);
        var before = policy.Module.parameters().Select(p => p.detach().clone()).ToList();

        var scorer = new Scorer(_services.GetRequiredKeyedService<IVerifier>("arithmetic"), [new WeightedReward("digits", new DigitsReward(), 1.0)], NullLogger.Instance);
        var rollouts = new RolloutEngine(policy, tokenizer, scorer, ["digits"], new BatchedSampler(new SamplingOptions { MaxNewTokens = 12, Seed = 7 }), curriculum: null);
        var problems = new TrainingProblems(ProblemSets.Training(task, []), task.Difficulties, curriculum: null, seed: 3);
        var context = new TrainingContext(policy, architecture, tokenizer, problems, rollouts, TotalSteps: 1, Seed: 1, NullLogger.Instance);
        using var session = _services.GetRequiredKeyedService<IAlgorithm>(algorithm).Begin(context);

        var metrics = session.Step();

        Assert.All(metrics, m => Assert.True(double.IsFinite(m.Value), $"{m.Key} = {m.Value}"));
        var moved = policy.Module.parameters().Zip(before).Count(p => !p.First.allclose(p.Second, rtol: 0, atol: 0));
        Assert.True(moved > 0, $"{algorithm}: no parameter changed in one step; metrics {string.Join(", ", metrics)}");
    }
}
