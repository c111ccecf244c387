// Memory for a model's key/value caches, kept from one sampling call to the next. A cache's stores are hundreds of
// megabytes; freshly mapped, every page of them is cleared by the kernel on first touch, which on the CPU VM cost more
// than the attention that reads them (docs/benchmarks.md, "Sampling roofline"). A disposed cache's buffers come back
// here and the next cache reuses them. The model owns its memory and frees it with itself; at most Kept buffers wait.
using static TorchSharp.torch;

namespace Rlvr.Plugins.Transformer;

internal sealed class CacheMemory : IDisposable
{
    private const int Kept = 2;            // a cache's two stores: every row's own positions, and a shared prefix
    private readonly List<Tensor> _free = [];   // flat buffers, not in use

    /// <summary>A buffer of this shape, uninitialised: a view of a kept buffer large enough, or a new one.</summary>
    /// <returns>The view and the flat buffer under it, to give back with <see cref="Return"/>.</returns>
    public (Tensor Data, Tensor Buffer) Rent(long[] shape, ScalarType dtype, Device device)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        int fit = Smallest(t => t.numel() >= n && t.dtype == dtype && t.device_type == device.type && t.device_index == device.index);
        var buffer = fit < 0 ? empty(n, dtype, device: device).DetachFromDisposeScope() : Take(fit);
        return (buffer.narrow(0, 0, n).view(shape).DetachFromDisposeScope(), buffer);
    }

    /// <summary>Keeps a flat buffer for later caches; beyond <see cref="Kept"/> buffers the smallest is freed.</summary>
    public void Return(Tensor buffer)
    {
        _free.Add(buffer);
        if (_free.Count > Kept) Take(Smallest(_ => true)).Dispose();
    }

    // The index of the smallest free buffer that passes, or −1. (By index: Tensor's Equals is not identity.)
    private int Smallest(Func<Tensor, bool> passes)
    {
        int best = -1;
        for (int i = 0; i < _free.Count; i++)
            if (passes(_free[i]) && (best < 0 || _free[i].numel() < _free[best].numel())) best = i;
        return best;
    }

    private Tensor Take(int index)
    {
        var buffer = _free[index];
        _free.RemoveAt(index);
        return buffer;
    }

    public void Dispose()
    {
        foreach (var buffer in _free) buffer.Dispose();
        _free.Clear();
    }
}
