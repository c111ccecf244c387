// The "transformer" model architecture: builds a seeded GptModel from the bound TransformerOptions.
using Microsoft.Extensions.Options;
using Rlvr.Models;
using TorchSharp;

namespace Rlvr.Plugins.Transformer;

internal sealed class TransformerArchitecture(IOptions<TransformerOptions> options) : IModelArchitecture
{
    // Thread-safe: the model draws its initial weights from its own generator and never touches the global one.
    public ICausalLanguageModel Create(int vocabularySize, torch.Device device, long seed) =>
        new GptModel(options.Value, vocabularySize, device, seed);
}
