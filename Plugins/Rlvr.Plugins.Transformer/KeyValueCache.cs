// The GptModel's key/value cache, preallocated: the keys and values of every layer (every block application, loops
// included) sit in one buffer (L, 2, rows, nh, capacity, hs), filled left to right, so decoding a token writes in
// place. Layer-major, so that one layer's keys (or values) are one block and attention at a decode step reads a dense
// region rather than one strided across every layer. Beside them it keeps each row's attention mask (causal, padding
// hidden) and positions (counted from the row's first real token), so that Select and Repeat move a row's padding
// with its keys and values. Select works inside the buffer: on the 2-core
// machine a fresh 720 MB tensor cost 300 ms in page faults, six times the copy itself. The cache owns its tensors (they belong to no dispose
// scope) and frees them in Dispose.
using Rlvr.Models;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Transformer;

internal sealed class KeyValueCache : IDecodingState
{
    private const int Rows = 2;  // the buffer's row dimension
    private readonly int _layers;
    private Tensor _buffer;      // (L, 2, rows allocated, nh, capacity, hs); the first BatchSize rows are in use
    private Tensor _mask;        // (rows allocated, 1, capacity, capacity) bool: query i may attend to key j
    private Tensor _positions;   // (rows allocated, capacity) int64: each slot's position, 0 at the row's first real token
    private Tensor[] _views = [];   // per layer: keys and values of the rows in use, then the mask and positions in use

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
        _mask = mask.unsqueeze(1).DetachFromDisposeScope();
        _positions = (slot.view(1, -1) - pad).clamp_min(0).DetachFromDisposeScope();
        _buffer = empty([layers, 2, B, heads, capacity, headSize], dtype, device: device).DetachFromDisposeScope();
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
        if (to.Length > _buffer.shape[Rows])
        {
            // More rows than the buffer holds (rows repeated): gather them into new buffers.
            var index = tensor(to, device: _buffer.device);
            var shape = _buffer.shape;
            shape[Rows] = to.Length;
            var buffer = empty(shape, _buffer.dtype, device: _buffer.device);
            buffer.narrow(4, 0, Length).copy_(_buffer.narrow(4, 0, Length).index_select(Rows, index));
            Replace(buffer, _mask.index_select(0, index), _positions.index_select(0, index));
            return;
        }
        var moved = Enumerable.Range(0, to.Length).Where(i => to[i] != i).ToArray();
        if (moved.Length == 0) { Use(to.Length); return; }

        // Gather the rows that move, then write them to their new places; rows that stay are not copied. Dropping
        // rows by moving later rows into their places thus copies only those rows.
        var src = tensor(moved.Select(i => to[i]).ToArray(), device: _buffer.device);
        var dst = tensor(moved.Select(i => (long)i).ToArray(), device: _buffer.device);
        var filled = _buffer.narrow(4, 0, Length);                                           // only filled positions are copied
        filled.index_copy_(Rows, dst, filled.index_select(Rows, src));
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
        // Row b becomes rows b·times … b·times + times − 1: a broadcast copy of the filled positions.
        var target = buffer.view(shape[0], shape[1], B, times, shape[3], Capacity, shape[5]).narrow(5, 0, Length);   // (L, 2, B, times, nh, Length, hs)
        var source = _buffer.narrow(Rows, 0, B).unsqueeze(Rows + 1).narrow(5, 0, Length);                          // (L, 2, B, 1, nh, Length, hs)
        target.copy_(source.expand(target.shape));
        Replace(buffer, _mask.narrow(0, 0, B).repeat_interleave(times, 0), _positions.narrow(0, 0, B).repeat_interleave(times, 0));
    }

    public void Dispose() => DisposeTensors();

    // The mask of queries start..start+T-1 over keys 0..start+T-1: (B, 1, T, start + T).
    internal Tensor Mask(long start, long T) => _views[2 * _layers].narrow(2, start, T).narrow(3, 0, start + T);

    internal Tensor Positions(long start, long T) => _views[2 * _layers + 1].narrow(1, start, T);   // (B, T)

    // Writes one layer's new keys and values, (B, nh, T, hs), at start..start+T-1 and returns all keys and values so far.
    internal (Tensor K, Tensor V) Append(int layer, Tensor k, Tensor v, long start)
    {
        long T = k.shape[2];
        var (keys, values) = (_views[2 * layer], _views[2 * layer + 1]);                    // (B, nh, capacity, hs)
        keys.narrow(2, start, T).copy_(k);
        values.narrow(2, start, T).copy_(v);
        return (keys.narrow(2, 0, start + T), values.narrow(2, 0, start + T));             // (B, nh, start + T, hs)
    }

    internal void Advance(long T) => Length += T;

    private void Replace(Tensor buffer, Tensor mask, Tensor positions)
    {
        DisposeTensors();
        (_buffer, _mask, _positions) = (buffer.DetachFromDisposeScope(), mask.DetachFromDisposeScope(), positions.DetachFromDisposeScope());
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
            using var layer = rows.select(0, l);                                             // (2, B, nh, capacity, hs)
            views.AddRange([layer.select(0, 0), layer.select(0, 1)]);
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
