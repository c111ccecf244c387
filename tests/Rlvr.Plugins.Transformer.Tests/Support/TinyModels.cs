// Small transformers for fast tests: 2 layers, width 32, 4 heads, a 13-token vocabulary.
using Rlvr.Plugins.Transformer;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Transformer.Tests.Support;

internal static class TinyModels
{
    public const int Vocabulary = 13;

    public static TransformerOptions Options(string positions = "learned", int context = 32) =>
        new() { Layers = 2, Width = 32, Heads = 4, ContextLength = context, Positions = positions, MlpRatio = 4 };

    public static GptModel Create(string positions = "learned", long seed = 1, int context = 32)
    {
        var model = new GptModel(Options(positions, context), Vocabulary, CPU, seed);
        model.eval();
        return model;
    }

    // Largest absolute difference between two tensors, for assertion messages.
    public static float MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    public static Tensor Tokens(long[,] ids) => tensor(ids);
}
