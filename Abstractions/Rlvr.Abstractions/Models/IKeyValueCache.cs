using static TorchSharp.torch;

namespace Rlvr.Models;

/// <summary>
/// The keys and values a model has computed for a batch of sequences, so that decoding the next token costs one
/// position rather than the whole prefix.
/// </summary>
/// <remarks>
/// Rows can be repeated (to share one prompt's cache across a group of completions) and selected (to drop finished
/// rows from the batch). Both keep the rows' padding in step with their keys and values.
/// </remarks>
public interface IKeyValueCache : IDisposable
{
    /// <summary>The number of rows.</summary>
    long BatchSize { get; }

    /// <summary>The number of positions filled, padding included.</summary>
    long Length { get; }

    /// <summary>The most positions the cache can hold.</summary>
    long Capacity { get; }

    /// <summary>Keeps the rows listed in <paramref name="rows"/> (int64 indices), in that order.</summary>
    void Select(Tensor rows);

    /// <summary>Repeats every row <paramref name="times"/> times in place: row i becomes rows i·times … i·times + times − 1.</summary>
    void Repeat(long times);
}
