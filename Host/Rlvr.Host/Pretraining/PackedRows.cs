// Packing (as nanoGPT and GPT-2 train): documents BOS + text + EOS are laid end to end in one stream and cut into
// rows of exactly T + 1 tokens, so no step spends time on padding. A row may begin inside a document and hold the
// end of one and the start of the next; the model learns from BOS where a problem starts. Tokens a tool wrote are
// inputs but not targets.
using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.Host.Pretraining;

/// <summary>Cuts a stream of documents into fixed-length next-token rows.</summary>
internal sealed class PackedRows(Func<Document> nextDocument)
{
    private Document? _current;
    private int _offset;

    /// <summary>Inputs and targets of shape (<paramref name="rows"/>, <paramref name="length"/>): every target supervised but the tools' tokens.</summary>
    public (Tensor Inputs, Tensor Targets, long Supervised) Next(int rows, int length, Device device)
    {
        var (ids, toolWritten) = Take(rows, length);
        using var window = tensor(ids, [rows, length + 1], ScalarType.Int64);
        var inputs = window[.., ..^1].contiguous().to(device);
        if (toolWritten is null) return (inputs, window[.., 1..].contiguous().to(device), (long)rows * length);

        var targets = new long[rows * length];
        long supervised = 0;
        for (int r = 0; r < rows; r++)
            for (int t = 0; t < length; t++)
            {
                int next = r * (length + 1) + t + 1;
                bool trained = !toolWritten[next];
                targets[r * length + t] = trained ? ids[next] : TokenBatch.IgnoreIndex;
                if (trained) supervised++;
            }
        return (inputs, tensor(targets, [rows, length], ScalarType.Int64).to(device), supervised);
    }

    /// <summary>The token ids <see cref="Next"/> would batch, drawn from the stream: a resumed run replays its earlier steps with it.</summary>
    public long[] NextIds(int rows, int length) => Take(rows, length).Ids;

    // The ids of the next rows, and which of them a tool wrote (null while no document had a tool's tokens).
    private (long[] Ids, bool[]? ToolWritten) Take(int rows, int length)
    {
        var ids = new long[rows * (length + 1)];
        bool[]? toolWritten = null;
        for (int i = 0; i < ids.Length; i++)
        {
            while (_current is null || _offset == _current.Ids.Length) (_current, _offset) = (nextDocument(), 0);
            if (_current.ToolWritten is { } written && written[_offset]) (toolWritten ??= new bool[ids.Length])[i] = true;
            ids[i] = _current.Ids[_offset++];
        }
        return (ids, toolWritten);
    }
}
