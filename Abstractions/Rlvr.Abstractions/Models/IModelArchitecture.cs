using TorchSharp;

namespace Rlvr.Models;

/// <summary>A model architecture: builds a causal language model from its bound options.</summary>
/// <remarks>Implementations are singletons and must be thread-safe; the models they create are not.</remarks>
public interface IModelArchitecture
{
    /// <summary>Creates a freshly initialised model on <paramref name="device"/>.</summary>
    /// <param name="vocabularySize">The tokenizer's vocabulary size.</param>
    /// <param name="device">The device that holds the parameters.</param>
    /// <param name="seed">The seed of the parameter initialisation; the same seed gives the same parameters.</param>
    /// <returns>A model the caller owns and disposes.</returns>
    ICausalLanguageModel Create(int vocabularySize, torch.Device device, long seed);
}
