// The model's decoding state: it needs no keys or values, only each row's last token (the previous token of the
// next one) and its left padding. Its tensors live outside every dispose scope; Dispose frees them.
using Rlvr.Models;
using static TorchSharp.torch;

namespace Company.RlvrPlugin;

internal sealed class StarterState : IDecodingState
{
    public StarterState(Tensor leftPadding, long capacity, int noToken)
    {
        LeftPadding = leftPadding.to(int64).clone().DetachFromDisposeScope();
        Last = full(leftPadding.shape[0], 1, noToken, dtype: int64, device: leftPadding.device).DetachFromDisposeScope();
        Capacity = capacity;
    }

    /// <summary>Each row's last token, (B, 1).</summary>
    public Tensor Last { get; private set; }

    /// <summary>Each row's left padding, (B).</summary>
    public Tensor LeftPadding { get; private set; }

    public long BatchSize => Last.shape[0];
    public long Length { get; private set; }
    public long Capacity { get; }

    /// <summary>Records <paramref name="count"/> more positions, the last of them <paramref name="last"/> (B, 1).</summary>
    public void Append(Tensor last, long count)
    {
        var old = Last;
        Last = last.clone().DetachFromDisposeScope();
        old.Dispose();
        Length += count;
    }

    public void Select(Tensor rows) => Replace(Last.index_select(0, rows), LeftPadding.index_select(0, rows));

    public void Repeat(long times) => Replace(Last.repeat_interleave(times, 0), LeftPadding.repeat_interleave(times, 0));

    public void Dispose()
    {
        Last.Dispose();
        LeftPadding.Dispose();
    }

    private void Replace(Tensor last, Tensor leftPadding)
    {
        Dispose();
        (Last, LeftPadding) = (last.DetachFromDisposeScope(), leftPadding.DetachFromDisposeScope());
    }
}
