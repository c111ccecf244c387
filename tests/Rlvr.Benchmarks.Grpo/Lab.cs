// The real components, wired by hand as the policy-gradient learning tests do (PretrainedBase.cs): an in-memory
// configuration, the plugins' own service registrations, and a TrainingContext around the host's rollout engine.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Rlvr.Host.Data;
using Rlvr.Host.Scoring;
using Rlvr.Host.Training;
using Rlvr.Models;
using Rlvr.Rewards;
using Rlvr.Sampling;
using Rlvr.Tasks;
using Rlvr.Tokenizers;
using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.Benchmarks.Grpo;

internal sealed class Lab : IDisposable
{
    public const string Reward = "terminal";

    private readonly ServiceProvider _services;

    /// <param name="settings">Configuration keys, e.g. "Models:Transformer:Width" → "256".</param>
    public Lab(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddArithmetic().AddCharTokenizer().AddTransformer().AddRlvrRewards();
        _services = services.BuildServiceProvider();

        Task = _services.GetRequiredKeyedService<IProblemGenerator>("arithmetic");
        Verifier = _services.GetRequiredKeyedService<IVerifier>("arithmetic");
        Architecture = _services.GetRequiredKeyedService<IModelArchitecture>("transformer");
        Tokenizer = _services.GetRequiredKeyedService<ITokenizerFactory>("char").Create(Task.Alphabet);
    }

    public IProblemGenerator Task { get; }
    public IVerifier Verifier { get; }
    public IModelArchitecture Architecture { get; }
    public ITokenizer Tokenizer { get; }

    /// <summary>A freshly initialised model; the same seed gives the same weights.</summary>
    public ICausalLanguageModel Model(long seed) => Architecture.Create(Tokenizer.VocabularySize, CPU, seed);

    /// <summary>
    /// What the host hands an algorithm: the policy, problems drawn uniformly over the task's difficulties from
    /// Random(<paramref name="problemSeed"/>), and the rollout engine scoring with the "terminal" reward.
    /// </summary>
    public TrainingContext Context(ICausalLanguageModel policy, ITokenizer tokenizer, SamplingOptions sampling, int totalSteps, int problemSeed)
    {
        var scorer = new Scorer(Verifier, [new WeightedReward(Reward, _services.GetRequiredKeyedService<IReward>(Reward), 1.0)], NullLogger.Instance);
        var problems = new TrainingProblems(ProblemSets.Training(Task, []), Task.Difficulties, curriculum: null, problemSeed);
        var rollouts = new RolloutEngine(policy, tokenizer, scorer, [Reward], new BatchedSampler(sampling), curriculum: null);
        return new TrainingContext(policy, Architecture, tokenizer, problems, rollouts, totalSteps, Seed: 0, NullLogger.Instance);
    }

    public void Dispose() => _services.Dispose();
}

/// <summary>
/// A tokenizer whose end id is −1, which no model produces. The step benchmark needs both sides to do identical work,
/// but an untrained model emits the real end token at random, so completion lengths (and with them the cost of
/// sampling and of the update) would differ from step to step and side to side. The host's RolloutEngine stops rows at
/// <see cref="ITokenizer.Eos"/>; BatchedSampler documents −1 as "let every row run to MaxNewTokens". With this
/// decorator every row of both sides is exactly MaxNewTokens long. Everything else is the wrapped tokenizer's.
/// </summary>
internal sealed class NeverEndingTokenizer(ITokenizer inner) : ITokenizer
{
    public int VocabularySize => inner.VocabularySize;
    public int Bos => inner.Bos;
    public int Eos => -1;
    public int Pad => inner.Pad;
    public int[] Encode(string text) => inner.Encode(text);
    public string Decode(ReadOnlySpan<int> ids) => inner.Decode(ids);
    public void Save(string path) => inner.Save(path);
}
