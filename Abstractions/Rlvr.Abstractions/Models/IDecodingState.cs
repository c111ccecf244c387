using static TorchSharp.torch;

namespace Rlvr.Models;

/// <summary>
/// What a model carries, per row, from one decoded position to the next, so that decoding the next token costs one
/// position rather than the whole prefix: a transformer's keys and values, a recurrent model's hidden state, or
/// nothing but a count of positions.
/// </summary>
/// <remarks>
/// The sampler never looks inside: it creates a state with <see cref="ICausalLanguageModel.CreateDecodingState"/>,
/// feeds tokens through <see cref="ICausalLanguageModel.Forward(Tensor, IDecodingState)"/>, and reshapes the batch.
/// Rows can be repeated (to share one prompt's state across a group of completions) and selected (to drop finished
/// rows from the batch); both keep whatever the model tracks per row (its padding, its positions) in step.
/// </remarks>
public interface IDecodingState : IDisposable
{
    /// <summary>The number of rows.</summary>
    long BatchSize { get; }

    /// <summary>The number of positions consumed so far, padding included.</summary>
    long Length { get; }

    /// <summary>The most positions the state can consume.</summary>
    long Capacity { get; }

    /// <summary>Keeps the rows listed in <paramref name="rows"/> (int64 indices), in that order.</summary>
    void Select(Tensor rows);

    /// <summary>Repeats every row <paramref name="times"/> times in place: row i becomes rows i·times … i·times + times − 1.</summary>
    void Repeat(long times);
}
