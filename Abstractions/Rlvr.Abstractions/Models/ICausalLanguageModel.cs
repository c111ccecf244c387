using TorchSharp;
using static TorchSharp.torch;

namespace Rlvr.Models;

/// <summary>
/// A causal language model of any architecture: logits of the next token at every position, and incremental
/// decoding through a per-row <see cref="IDecodingState"/> for sampling.
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

    /// <summary>Creates the decoding state of a batch before its first token: for incremental decoding.</summary>
    /// <param name="leftPadding">Per row, how many leading positions are padding that the model must ignore (a
    /// transformer masks them out of attention; a recurrent model leaves its state unchanged over them); shape (B,),
    /// int64. Positions of a row count from its first real token.</param>
    /// <param name="capacity">The most positions the state will consume, at most <see cref="ContextLength"/>.</param>
    /// <returns>A state the caller owns and disposes.</returns>
    IDecodingState CreateDecodingState(Tensor leftPadding, long capacity);

    /// <summary>
    /// Feeds <paramref name="tokens"/> after the positions <paramref name="state"/> has consumed and returns their
    /// logits, equal (to rounding) to those <see cref="Forward(Tensor)"/> gives at the same positions of the whole
    /// sequence (at padding positions they mean nothing); the state advances by T.
    /// </summary>
    /// <param name="tokens">Token ids, shape (B, T), B equal to the state's batch size.</param>
    /// <param name="state">A state made by this model's <see cref="CreateDecodingState"/>.</param>
    /// <returns>Logits, shape (B, T, V).</returns>
    Tensor Forward(Tensor tokens, IDecodingState state);
}
