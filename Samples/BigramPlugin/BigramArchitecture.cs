using Microsoft.Extensions.Options;
using Rlvr.Models;
using TorchSharp;

namespace BigramPlugin;

internal sealed class BigramArchitecture(IOptions<BigramOptions> options) : IModelArchitecture
{
    public ICausalLanguageModel Create(int vocabularySize, torch.Device device, long seed) =>
        new BigramModel(vocabularySize, options.Value.ContextLength, options.Value.InitStd, device, seed);
}
