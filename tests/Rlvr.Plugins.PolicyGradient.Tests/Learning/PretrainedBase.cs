// A tiny base model for learning tests, pretrained once per test class on noisy worked solutions of two-term sums
// (terms 1..9): it learns the noise too (about one answer in five is off), which leaves RL headroom to sharpen.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Rlvr.Host.Data;
using Rlvr.Host.Pretraining;
using Rlvr.Host.Scoring;
using Rlvr.Host.Training;
using Rlvr.Models;
using Rlvr.Rewards;
using Rlvr.Sampling;
using Rlvr.Tasks;
using Rlvr.Tokenizers;
using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.PolicyGradient.Tests.Learning;

public sealed class PretrainedBase : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly string _weights = Path.Combine(Path.GetTempPath(), $"rlvr-pg-base-{Guid.NewGuid():N}.bin");

    public PretrainedBase()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tasks:Arithmetic:Generator"] = "chain-sum",
            ["Tasks:Arithmetic:MinDifficulty"] = "2",
            ["Tasks:Arithmetic:MaxDifficulty"] = "2",
            ["Tasks:Arithmetic:MaxOperand"] = "9",
            ["Models:Transformer:Layers"] = "2",
            ["Models:Transformer:Width"] = "48",
            ["Models:Transformer:Heads"] = "2",
            ["Models:Transformer:ContextLength"] = "48",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddArithmetic().AddCharTokenizer().AddTransformer().AddRlvrRewards();
        _services = services.BuildServiceProvider();

        Task = _services.GetRequiredKeyedService<IProblemGenerator>("arithmetic");
        Architecture = _services.GetRequiredKeyedService<IModelArchitecture>("transformer");
        Tokenizer = _services.GetRequiredKeyedService<ITokenizerFactory>("char").Create(Task.Alphabet);
        set_num_threads(2);
        using var model = Architecture.Create(Tokenizer.VocabularySize, CPU, seed: 1);
        var options = new PretrainOptions { TokenBudget = 600_000, BatchSize = 32, LearningRate = 3e-3, WarmupSteps = 10, StepError = 0.2 };
        var summary = new Pretrainer(options, NullLogger.Instance, []).Train(model, Tokenizer, Task, ProblemSets.Training(Task, []), new Random(1));
        PretrainLoss = summary.FinalLoss!.Value;
        model.Module.save(_weights);
    }

    public IProblemGenerator Task { get; }
    public IModelArchitecture Architecture { get; }
    public ITokenizer Tokenizer { get; }
    public double PretrainLoss { get; }

    /// <summary>Every problem of the task (two terms of 1..9), to probe a model on.</summary>
    public static IReadOnlyList<Problem> AllTwoTermProblems() =>
        [.. from a in Enumerable.Range(1, 9) from b in Enumerable.Range(1, 9) select new Problem($"{a}+{b}", $"{a}+{b}=", $"1:{a}+{b}={a + b}\n#{a + b}", $"{a + b}", 2)];

    /// <summary>A fresh copy of the base model.</summary>
    public ICausalLanguageModel Policy()
    {
        var policy = Architecture.Create(Tokenizer.VocabularySize, CPU, seed: 1);
        policy.Module.load(_weights);
        return policy;
    }

    /// <summary>A training context with the host's real rollout engine and the named reward functions.</summary>
    public TrainingContext Context(ICausalLanguageModel policy, int totalSteps, params string[] rewards) =>
        Context(policy, totalSteps, new SamplingOptions { MaxNewTokens = 28, Seed = 7 }, rewards);

    /// <summary>The same, sampling with the given options (temperature, top-p).</summary>
    public TrainingContext Context(ICausalLanguageModel policy, int totalSteps, SamplingOptions sampling, params string[] rewards) =>
        Context(policy, totalSteps, sampling, [.. rewards.Select(n => new WeightedReward(n, _services.GetRequiredKeyedService<IReward>(n), 1.0))]);

    /// <summary>The same, with reward functions in hand (a test's own).</summary>
    public TrainingContext Context(ICausalLanguageModel policy, int totalSteps, SamplingOptions sampling, IReadOnlyList<WeightedReward> rewards)
    {
        var verifier = _services.GetRequiredKeyedService<IVerifier>("arithmetic");
        var scorer = new Scorer(verifier, rewards, NullLogger.Instance);
        var sampler = new BatchedSampler(sampling);
        var problems = new TrainingProblems(ProblemSets.Training(Task, []), Task.Difficulties, curriculum: null, seed: 3);
        return new TrainingContext(policy, Architecture, Tokenizer, problems,
            new RolloutEngine(policy, Tokenizer, scorer, [.. rewards.Select(r => r.Name)], sampler, curriculum: null), totalSteps, Seed: 1, NullLogger.Instance);
    }

    public void Dispose()
    {
        _services.Dispose();
        File.Delete(_weights);
    }
}
