using TorchSharp;
using static TorchSharp.torch;

namespace Rlvr.Models;

/// <summary>
/// A decoder-only language model: logits of the next token at every position, with an optional key/value cache
/// for sampling.
/// </summary>
/// <remarks>
/// A model is used by one thread at a time. Returned tensors belong to the caller's dispose scope.
/// </remarks>
public interface ICausalLanguageModel : IDisposable
{
    /// <summary>The underlying module: parameters, <c>train()</c>/<c>eval()</c>, state dictionary and device moves.</summary>
    nn.Module Module { get; }

    /// <summary>The longest sequence, prompt and completion together, that the model accepts.</summary>
    int ContextLength { get; }

    /// <summary>The size of the output vocabulary.</summary>
    int VocabularySize { get; }

    /// <summary>The device that holds the parameters.</summary>
    Device Device { get; }

    /// <summary>The width of the hidden states that <see cref="Features"/> returns.</summary>
    int Width { get; }

    /// <summary>Logits for every position of <paramref name="tokens"/>, causally masked.</summary>
    /// <param name="tokens">Token ids, shape (B, T), T at most <see cref="ContextLength"/>.</param>
    /// <returns>Logits, shape (B, T, V).</returns>
    Tensor Forward(Tensor tokens);

    /// <summary>
    /// The final hidden states for every position of <paramref name="tokens"/>: what the output head reads, and
    /// what a value head (PPO's critic) can read as well. <c>Logits(Features(x))</c> equals <c>Forward(x)</c>.
    /// </summary>
    /// <param name="tokens">Token ids, shape (B, T).</param>
    /// <returns>Hidden states, shape (B, T, <see cref="Width"/>).</returns>
    Tensor Features(Tensor tokens);

    /// <summary>Applies the output head to hidden states from <see cref="Features"/>.</summary>
    /// <param name="features">Hidden states, shape (..., <see cref="Width"/>).</param>
    /// <returns>Logits, shape (..., V).</returns>
    Tensor Logits(Tensor features);

    /// <summary>Creates an empty key/value cache for incremental decoding.</summary>
    /// <param name="leftPadding">Per row, how many leading positions are padding that attention must ignore; shape (B,), int64.
    /// Positions of a row count from its first real token.</param>
    /// <param name="capacity">The most positions the cache will hold, at most <see cref="ContextLength"/>.</param>
    /// <returns>A cache the caller owns and disposes.</returns>
    IKeyValueCache CreateCache(Tensor leftPadding, long capacity);

    /// <summary>
    /// Appends <paramref name="tokens"/> after the positions already in <paramref name="cache"/> and returns their
    /// logits; the cache grows by T.
    /// </summary>
    /// <param name="tokens">Token ids, shape (B, T), B equal to the cache's batch size.</param>
    /// <param name="cache">A cache made by this model's <see cref="CreateCache"/>.</param>
    /// <returns>Logits, shape (B, T, V).</returns>
    Tensor Forward(Tensor tokens, IKeyValueCache cache);
}
