// The plugins a fine-tuning run composes, through their public registrations: chain sums of 2-3 terms up to 20, a
// character tokenizer and a 2-layer transformer of width 32, small enough for a test to train in seconds on 2 cores.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rlvr.FineTuning;
using Rlvr.Models;
using Rlvr.Tasks;
using Rlvr.Tokenizers;
using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.Plugins.FineTuning.Tests.Support;

internal static class TinyWorld
{
    private static readonly Lazy<ServiceProvider> s_provider = new(() =>
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tasks:Arithmetic:Generator"] = "chain-sum",
            ["Tasks:Arithmetic:MinDifficulty"] = "2",
            ["Tasks:Arithmetic:MaxDifficulty"] = "3",
            ["Tasks:Arithmetic:MaxOperand"] = "20",
            ["Models:Transformer:Layers"] = "2",
            ["Models:Transformer:Width"] = "32",
            ["Models:Transformer:Heads"] = "2",
            ["Models:Transformer:ContextLength"] = "48",        // "20+20+20=" and its 25-character solution, BOS and EOS: 36
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddArithmetic().AddCharTokenizer().AddTransformer().AddFineTuning();
        return services.BuildServiceProvider();
    });

    public static IServiceProvider Services => s_provider.Value;

    public static IProblemGenerator Task => Services.GetRequiredKeyedService<IProblemGenerator>("arithmetic");

    public static IModelArchitecture Architecture => Services.GetRequiredKeyedService<IModelArchitecture>("transformer");

    public static ITokenizer Tokenizer { get; } = Services.GetRequiredKeyedService<ITokenizerFactory>("char").Create(Task.Alphabet);

    public static ICausalLanguageModel Policy(long seed = 1)
    {
        var policy = Architecture.Create(Tokenizer.VocabularySize, CPU, seed);
        policy.Module.eval();
        return policy;
    }

    public static TrainingContext Context(ICausalLanguageModel policy, ITrainingProblems problems, IRolloutEngine? rollouts = null, int totalSteps = 100) =>
        new(policy, Architecture, Tokenizer, problems, rollouts ?? new NoRollouts(), totalSteps, 1, NullLogger.Instance);

    public static List<Problem> Problems(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Task.Generate(random.Next(2, 4), random))];
    }

    public static ITrainingSession Sft(TrainingContext context, SftOptions options) =>
        new SftAlgorithm(Options.Create(options)).Begin(context);

    public static ITrainingSession RejectionSampling(TrainingContext context, RejectionSamplingOptions options) =>
        new RejectionSamplingAlgorithm(Options.Create(options)).Begin(context);
}
