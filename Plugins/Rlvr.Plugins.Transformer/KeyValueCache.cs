// The GptModel's key/value cache, preallocated: the keys and values of every layer (every block application, loops
// included) sit in one buffer, filled left to right, so decoding a token writes in place. Layer-major, so that one
// layer's keys (or values) of the rows in use are one dense block. Keys are stored transposed, (nh, hs, slots) a row,
// values as (nh, slots, hs): a decode step's attention (DecodeAttention) then reads eight keys' scores with eight
// vector multiply-adds and no horizontal sums. Beside them it keeps each row's attention mask (causal, padding hidden),
// positions (counted from the row's first real token) and padding, so that Select and Repeat move a row's padding with
// its keys and values. Select works inside the buffer: on the 2-core machine a fresh 720 MB tensor cost 300 ms in page
// faults, six times the copy itself. The cache owns its tensors (they belong to no dispose scope) and frees them in
// Dispose.
using Rlvr.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Rlvr.Plugins.Transformer;

internal sealed class KeyValueCache : IDecodingState
{
    private const int Rows = 2;  // the buffer's row dimension
    private readonly int _layers;
    private readonly long _slots, _headSize;   // slots: the capacity rounded up to whole blocks of the decode kernel
    private readonly bool _kernel;              // decode steps run DecodeAttention, decided once for the cache's device, precision and head size
    private Tensor _buffer;      // (L, 2, rows allocated, nh, hs · slots): keys (nh, hs, slots), values (nh, slots, hs) a row
    private Tensor _mask;        // (rows allocated, 1, capacity, capacity) bool: query i may attend to key j
    private Tensor _positions;   // (rows allocated, capacity) int64: each slot's position, 0 at the row's first real token
    private long[] _padding;     // per row in use: its left padding, the first slot it may attend to
    private Tensor[] _views = [];   // per layer: keys (B, nh, hs, slots) and values (B, nh, slots, hs) of the rows in use, then the mask and positions in use

    public KeyValueCache(int layers, long heads, long headSize, Tensor leftPadding, long capacity, ScalarType dtype, Device device)
    {
        if (leftPadding.dim() != 1) throw new ArgumentException($"leftPadding must have shape (B,), not ({string.Join(", ", leftPadding.shape)}).", nameof(leftPadding));
        using var scope = NewDisposeScope();
        long B = leftPadding.shape[0];
        var pad = leftPadding.to(int64, device).view(B, 1);                                  // (B, 1)
        var slot = arange(capacity, device: device);                                         // (capacity)
        var causal = slot.view(1, -1) <= slot.view(-1, 1);                                  // (capacity, capacity): key j ≤ query i
        var real = (slot.view(1, -1) >= pad).unsqueeze(1);                                   // (B, 1, capacity): key j is no padding
        // A padding query attends to itself alone: a fully masked row would give NaN, which would reach real rows
        // through later layers' values even at weight 0.
        var mask = causal & (real | eye(capacity, dtype: ScalarType.Bool, device: device));  // (B, capacity, capacity)
        _layers = layers;
        _slots = (capacity + DecodeAttention.Block - 1) / DecodeAttention.Block * DecodeAttention.Block;
        (_headSize, _kernel) = (headSize, DecodeAttention.Supports(dtype, device, headSize));
        _padding = leftPadding.to(int64, CPU).data<long>().ToArray();
        _mask = mask.unsqueeze(1).DetachFromDisposeScope();
        _positions = (slot.view(1, -1) - pad).clamp_min(0).DetachFromDisposeScope();
        _buffer = empty([layers, 2, B, heads, headSize * _slots], dtype, device: device).DetachFromDisposeScope();
        Capacity = capacity;
        Use(B);
    }

    public long BatchSize { get; private set; }
    public long Length { get; private set; }
    public long Capacity { get; }

    /// <summary>Throws unless <paramref name="B"/> rows of <paramref name="T"/> new tokens fit: this cache's rows, and room for T more positions.</summary>
    public void ThrowIfCannotAppend(long B, long T, string paramName)
    {
        if (Length + T > Capacity || B != BatchSize)
            throw new ArgumentException($"Appending ({B}, {T}) tokens to a cache of {BatchSize} rows holding {Length} of {Capacity} positions.", paramName);
    }

    internal int Layers => _layers;   // block applications per pass: the model's blocks × loops

    public void Select(Tensor rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var scope = NewDisposeScope();
        long[] to = rows.to(int64, CPU).data<long>().ToArray();
        if (to.Any(r => r < 0 || r >= BatchSize)) throw new ArgumentOutOfRangeException(nameof(rows), $"Row indices must lie in [0, {BatchSize}).");
        var padding = to.Select(r => _padding[r]).ToArray();
        if (to.Length > _buffer.shape[Rows])
        {
            // More rows than the buffer holds (rows repeated): gather them into new buffers.
            var index = tensor(to, device: _buffer.device);
            Replace(_buffer.index_select(Rows, index), _mask.index_select(0, index), _positions.index_select(0, index), padding);
            return;
        }
        var moved = Enumerable.Range(0, to.Length).Where(i => to[i] != i).ToArray();
        _padding = padding;
        if (moved.Length == 0) { Use(to.Length); return; }

        // Gather the rows that move, then write them to their new places; rows that stay are not copied. Dropping
        // rows by moving later rows into their places thus copies only those rows. A row moves whole, its empty
        // slots too: its keys and values are then one dense block each, which copies several times faster than
        // their filled parts alone (keys are stored transposed, so those are short runs).
        var src = tensor(moved.Select(i => to[i]).ToArray(), device: _buffer.device);
        var dst = tensor(moved.Select(i => (long)i).ToArray(), device: _buffer.device);
        _buffer.index_copy_(Rows, dst, _buffer.index_select(Rows, src));
        _mask.index_copy_(0, dst, _mask.index_select(0, src));
        _positions.index_copy_(0, dst, _positions.index_select(0, src));
        Use(to.Length);
    }

    public void Repeat(long times)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        if (times == 1) return;
        using var scope = NewDisposeScope();
        long B = BatchSize;
        var shape = _buffer.shape;
        shape[Rows] = B * times;
        var buffer = empty(shape, _buffer.dtype, device: _buffer.device);
        // Row b becomes rows b·times … b·times + times − 1: a broadcast copy of whole rows.
        var target = buffer.unflatten(Rows, [B, times]);                                      // (L, 2, B, times, nh, hs · slots)
        target.copy_(_buffer.narrow(Rows, 0, B).unsqueeze(Rows + 1).expand(target.shape));
        var padding = _padding.SelectMany(p => Enumerable.Repeat(p, (int)times)).ToArray();
        Replace(buffer, _mask.narrow(0, 0, B).repeat_interleave(times, 0), _positions.narrow(0, 0, B).repeat_interleave(times, 0), padding);
    }

    public void Dispose() => DisposeTensors();

    internal Tensor Positions(long start, long T) => _views[2 * _layers + 1].narrow(1, start, T);   // (B, T)

    /// <summary>
    /// Writes one layer's new keys and values, (B, nkv, T, hs), at start..start+T-1, and attends the queries
    /// (B, nh, T, hs) to every position so far: softmax(q·kᵀ/√hs over the keys the row may see) · v, with the heads
    /// side by side, (B, T, nh · hs). With nkv &lt; nh (grouped-query attention) query head h reads key/value head
    /// h / (nh / nkv).
    /// </summary>
    internal Tensor Attend(int layer, Tensor q, Tensor k, Tensor v, long start)
    {
        var (B, nh, T, hs) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3]);
        long nkv = k.shape[1], L = start + T;
        var (keys, values) = (_views[2 * layer], _views[2 * layer + 1]);                    // (B, nkv, hs, slots), (B, nkv, slots, hs)
        keys.narrow(3, start, T).copy_(k.transpose(2, 3));
        values.narrow(2, start, T).copy_(v);
        if (T == 1 && _kernel) return DecodeAttention.Compute(q, keys, values, _padding, L);

        // Prefill, or where the kernel does not run (another device or precision): the fused kernel over the filled prefix.
        var (K, V) = (keys.narrow(3, 0, L).transpose(2, 3), values.narrow(2, 0, L));         // (B, nkv, L, hs)
        if (nkv != nh) (K, V) = (K.repeat_interleave(nh / nkv, 1), V.repeat_interleave(nh / nkv, 1));   // (B, nh, L, hs)
        var mask = _views[2 * _layers].narrow(2, start, T).narrow(3, 0, L);                  // (B, 1, T, L)
        return F.scaled_dot_product_attention(q, K, V, mask).transpose(1, 2).reshape(B, T, nh * hs);
    }

    internal void Advance(long T) => Length += T;

    private void Replace(Tensor buffer, Tensor mask, Tensor positions, long[] padding)
    {
        DisposeTensors();
        (_buffer, _mask, _positions, _padding) = (buffer.DetachFromDisposeScope(), mask.DetachFromDisposeScope(), positions.DetachFromDisposeScope(), padding);
        Use(_buffer.shape[Rows]);
    }

    // Uses the first B rows of the buffers; views are made once here rather than at every step.
    private void Use(long B)
    {
        DisposeViews();
        BatchSize = B;
        var rows = _buffer.narrow(Rows, 0, B);
        var views = new List<Tensor>();
        for (int l = 0; l < _layers; l++)
        {
            using var layer = rows.select(0, l);                                             // (2, B, nh, hs · slots)
            long nh = layer.shape[2];
            views.AddRange([layer.select(0, 0).view(B, nh, _headSize, _slots), layer.select(0, 1).view(B, nh, _slots, _headSize)]);
        }
        views.AddRange([_mask.narrow(0, 0, B), _positions.narrow(0, 0, B)]);
        _views = [.. views.Select(t => t.DetachFromDisposeScope())];
        rows.Dispose();
    }

    private void DisposeViews()
    {
        foreach (var view in _views) view.Dispose();
        _views = [];
    }

    private void DisposeTensors()
    {
        DisposeViews();
        _buffer.Dispose();
        _mask.Dispose();
        _positions.Dispose();
    }
}
