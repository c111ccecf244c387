// Packing (as nanoGPT and GPT-2 train): documents BOS + text + EOS are laid end to end in one stream and cut into
// rows of exactly T + 1 tokens, so no step spends time on padding. A row may begin inside a document and hold the
// end of one and the start of the next; the model learns from BOS where a problem starts.
using static TorchSharp.torch;

namespace Rlvr.Host.Pretraining;

/// <summary>Cuts a stream of token sequences into fixed-length next-token rows.</summary>
internal sealed class PackedRows(Func<int[]> nextSequence)
{
    private int[] _current = [];
    private int _offset;

    /// <summary>Inputs and targets of shape (<paramref name="rows"/>, <paramref name="length"/>): every target supervised.</summary>
    public (Tensor Inputs, Tensor Targets, long Supervised) Next(int rows, int length, Device device)
    {
        var ids = NextIds(rows, length);
        using var window = tensor(ids, [rows, length + 1], ScalarType.Int64);
        return (window[.., ..^1].contiguous().to(device), window[.., 1..].contiguous().to(device), (long)rows * length);
    }

    /// <summary>The token ids <see cref="Next"/> would batch, drawn from the stream: a resumed run replays its earlier steps with it.</summary>
    public long[] NextIds(int rows, int length)
    {
        var ids = new long[rows * (length + 1)];
        for (int i = 0; i < ids.Length; i++)
        {
            while (_offset == _current.Length) (_current, _offset) = (nextSequence(), 0);
            ids[i] = _current[_offset++];
        }
        return ids;
    }
}
