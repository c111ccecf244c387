using Microsoft.Extensions.Options;
using Rlvr.Models;
using TorchSharp;

namespace Company.RlvrPlugin;

public sealed class StarterArchitecture(IOptions<StarterOptions> options) : IModelArchitecture
{
    public ICausalLanguageModel Create(int vocabularySize, torch.Device device, long seed) =>
        new StarterModel(vocabularySize, options.Value, device, seed);
}
