// The "looped-transformer" model architecture: builds a seeded GptModel whose Blocks are applied Loops times, from
// the bound LoopedTransformerOptions. It lives beside the transformer because it is the same GPT (attention, MLP,
// block, positions, cache) with a different depth schedule: one implementation of each part serves both.
using Microsoft.Extensions.Options;
using Rlvr.Models;
using TorchSharp;

namespace Rlvr.Plugins.Transformer;

internal sealed class LoopedTransformerArchitecture(IOptions<LoopedTransformerOptions> options) : IModelArchitecture
{
    // Thread-safe: the model draws its initial weights from its own generator and never touches the global one.
    public ICausalLanguageModel Create(int vocabularySize, torch.Device device, long seed) =>
        new GptModel(options.Value, vocabularySize, device, seed);
}
