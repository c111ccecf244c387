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

    public TrainingStepTests() => _services = Services();

    // The tiny Llama checkpoint under the real algorithms, with more settings where a test needs them.
    private static ServiceProvider Services(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
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
        };
        foreach (var (key, value) in more) settings[key] = value;
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddArithmetic().AddCharTokenizer().AddLlama().AddPolicyGradient().AddFineTuning();
        return services.BuildServiceProvider();
    }

    public void Dispose() => _services.Dispose();

    // Rewards the digits a completion holds, so that a group's completions differ and GRPO's advantages are not all zero.
    private sealed class DigitsReward : IReward
    {
        public RewardScore Score(Problem problem, string completion, Verification verification) => new(completion.Count(char.IsDigit) / 10.0);
    }

    [Fact]
    public void OneGrpoStepUpdatesTheCheckpoint() => AssertOneStepUpdates(_services, "grpo");

    [Fact]
    public void OneSftStepUpdatesTheCheckpoint() => AssertOneStepUpdates(_services, "sft");

    [Theory]
    [InlineData("grpo")]
    [InlineData("sft")]
    public void OneStepWithAdaptersMovesTheAdaptersAlone(string algorithm)
    {
        using var services = Services(("Models:Llama:LoraRank", "4"), ("Algorithms:Grpo:KlCoefficient", "0.1"));
        var (moved, frozen, folder) = AssertOneStepUpdates(services, algorithm);

        Assert.All(moved, name => Assert.Contains(".lora_", name));
        Assert.Contains(frozen, name => name == "model.layers.0.self_attn.q_proj.weight");
        Assert.False(File.Exists(Path.Combine(folder, "reference.bin")), "the KL reference was copied rather than shared with the frozen weights");
    }

    // One step of the algorithm on the checkpoint: the names of the parameters it moved and of those it left, and the
    // folder the session saved itself to afterwards.
    private static (List<string> Moved, List<string> Unmoved, string Folder) AssertOneStepUpdates(ServiceProvider services, string algorithm)
    {
        using var scope = NewDisposeScope();
        var task = services.GetRequiredKeyedService<IProblemGenerator>("arithmetic");
        var tokenizer = services.GetRequiredKeyedService<ITokenizerFactory>("char").Create(task.Alphabet);
        var architecture = services.GetRequiredKeyedService<IModelArchitecture>("llama");
        using var policy = architecture.Create(tokenizer.VocabularySize, CPU, seed: 1);
        var before = policy.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

        var scorer = new Scorer(services.GetRequiredKeyedService<IVerifier>("arithmetic"), [new WeightedReward("digits", new DigitsReward(), 1.0)], NullLogger.Instance);
        var rollouts = new RolloutEngine(policy, tokenizer, scorer, ["digits"], new BatchedSampler(new SamplingOptions { MaxNewTokens = 12, Seed = 7 }), curriculum: null);
        var problems = new TrainingProblems(ProblemSets.Training(task, []), task.Difficulties, curriculum: null, seed: 3);
        var context = new TrainingContext(policy, architecture, tokenizer, problems, rollouts, TotalSteps: 1, Seed: 1, NullLogger.Instance);
        using var session = services.GetRequiredKeyedService<IAlgorithm>(algorithm).Begin(context);

        var metrics = session.Step();

        Assert.All(metrics, m => Assert.True(double.IsFinite(m.Value), $"{m.Key} = {m.Value}"));
        var parameters = policy.Module.named_parameters().ToList();
        var moved = parameters.Where(p => !p.parameter.allclose(before[p.name], rtol: 0, atol: 0)).Select(p => p.name).ToList();
        Assert.True(moved.Count > 0, $"{algorithm}: no parameter changed in one step; metrics {string.Join(", ", metrics)}");
        string folder = Directory.CreateTempSubdirectory("rlvr-llama-session-").FullName;
        session.Save(folder);
        return (moved, [.. parameters.Select(p => p.name).Except(moved)], folder);
    }
}
