// Small transformers for fast tests: 2 layers (or a few blocks looped), width 32, 4 heads (head size 8) unless a test
// asks for others, a 13-token vocabulary.
using Rlvr.Plugins.Transformer;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Transformer.Tests.Support;

internal static class TinyModels
{
    public const int Vocabulary = 13;

    public static TransformerOptions Options(string positions = "learned", int context = 32, int width = 32, int heads = 4) =>
        new() { Layers = 2, Width = width, Heads = heads, ContextLength = context, Positions = positions, MlpRatio = 4 };

    public static GptModel Create(string positions = "learned", long seed = 1, int context = 32, int width = 32, int heads = 4)
    {
        var model = new GptModel(Options(positions, context, width, heads), Vocabulary, CPU, seed);
        model.eval();
        return model;
    }

    public static LoopedTransformerOptions LoopedOptions(int blocks, int loops, string positions = "learned", bool injection = true, int evaluationLoops = 0) =>
        new() { Blocks = blocks, Loops = loops, EvaluationLoops = evaluationLoops, InputInjection = injection, Width = 32, Heads = 4, ContextLength = 32, Positions = positions, MlpRatio = 4 };

    public static GptModel Looped(int blocks, int loops, string positions = "learned", long seed = 1, bool injection = true, int evaluationLoops = 0)
    {
        var model = new GptModel(LoopedOptions(blocks, loops, positions, injection, evaluationLoops), Vocabulary, CPU, seed);
        model.eval();
        return model;
    }

    // Largest absolute difference between two tensors, for assertion messages.
    public static float MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    public static Tensor Tokens(long[,] ids) => tensor(ids);
}
