// The GptModel's key/value cache, preallocated. A row's positions lie in two stores: a prefix that rows may share, and
// the row's own positions after it. Until the first Repeat every row owns all its positions; Repeat seals what is
// cached so far (the prompts) as the shared prefix, and the repeated rows then write only their own positions, so a
// group of G completions holds its prompt's keys and values once instead of G times. Batch rows point into the stores:
// Select only changes which rows are in use and where they point, so dropping finished rows copies nothing; only a row
// listed twice is copied, as both copies will write. Each store is layer-major, a layer's keys then its values, each
// block-major: block j of eight positions holds every row's keys for them, (rows, nkv, hs, 8), each head's block
// transposed (or values, (rows, nkv, 8, hs)). A decode step's attention (DecodeAttention) computes rows in store order,
// so consecutive rows read consecutive chunks of each block, and scores eight keys with hs vector multiply-adds, no
// horizontal sums. Each row's positions count from its first real token, and its padding is hidden from attention.
// The cache owns its tensors (they belong to no dispose scope) and frees them in Dispose.
using Rlvr.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Rlvr.Plugins.Transformer;

internal sealed class KeyValueCache : IDecodingState
{
    internal const long ChunkFloats = 2 << 20;   // a chunked forward's widest activation: 8 MiB of float32
    private const long StepRows = 32;            // a bfloat16 decode step's rows are a multiple of it (Padded)
    private readonly int _layers;
    private readonly long _heads, _headSize;    // key/value heads
    private readonly bool _kernel;               // decode steps run DecodeAttention and prompts PromptAttention, decided once for the cache's device, precision and head size
    private readonly ScalarType _dtype;
    private readonly Device _device;
    private readonly CacheMemory _memory;
    private Store _own;                          // every row's positions from _own.Start on
    private Store? _prefix;                      // positions [0, _own.Start), shared; null until Repeat seals it
    private int[] _ownRow, _prefixRow;           // per row in use: its row in each store
    private int[]? _ownOrder;                    // the rows in use sorted by their own store rows, as the kernel sweeps them; made when needed
    private long[] _padding;                     // per row in use: its left padding, the first position it may attend to
    private Tensor _paddingColumn;               // (B, 1) int64 on the device, the same
    private Tensor? _ownIndex, _prefixIndex;     // the row maps on the device, made when a step without the kernel needs them
    private Chunk? _chunk;                       // the rows a chunked forward is feeding; null: all

    /// <param name="memory">Where the stores' memory comes from and goes back to: the model's, kept between caches.</param>
    public KeyValueCache(int layers, long heads, long headSize, Tensor leftPadding, long capacity, ScalarType dtype, Device device, CacheMemory memory)
    {
        if (leftPadding.dim() != 1) throw new ArgumentException($"leftPadding must have shape (B,), not ({string.Join(", ", leftPadding.shape)}).", nameof(leftPadding));
        (_layers, _heads, _headSize, _dtype, _device, _memory) = (layers, heads, headSize, dtype, device, memory);
        _kernel = DecodeAttention.Supports(dtype, device, headSize);
        Capacity = capacity;
        _padding = leftPadding.to(int64, CPU).data<long>().ToArray();
        int B = _padding.Length;
        _own = new Store(this, B, start: 0);
        _ownRow = _prefixRow = [.. Enumerable.Range(0, B)];
        _paddingColumn = tensor(_padding, device: device).view(B, 1).DetachFromDisposeScope();
        BatchSize = B;
    }

    public long BatchSize { get; private set; }
    public long Length { get; private set; }
    public long Capacity { get; }

    /// <summary>Throws unless <paramref name="B"/> rows of <paramref name="T"/> new tokens fit: this cache's rows, and room for T more positions.</summary>
    public void ThrowIfCannotAppend(long B, long T, string paramName)
    {
        if (Length + T > Capacity || B != (_chunk?.Count ?? BatchSize))
            throw new ArgumentException($"Appending ({B}, {T}) tokens to a cache of {BatchSize} rows holding {Length} of {Capacity} positions.", paramName);
    }

    internal int Layers => _layers;   // block applications per pass: the model's blocks × loops

    internal ScalarType DType => _dtype;   // of its keys and values

    /// <summary>
    /// Feeds tokens (B, T) through <paramref name="forward"/> in chunks of rows, each chunk reading and writing its own
    /// rows of the cache, and returns the outputs in row order, (B, T, …). A chunk's rows have the same left padding
    /// among the new positions, which it leaves out: no work is spent on padding, and the chunk's attention is plainly
    /// causal (its outputs at padding positions are zeros). A chunk's widest activation, <paramref name="widest"/>
    /// floats a position, stays within <see cref="ChunkFloats"/>, below glibc's largest mmap threshold (32 MiB): a
    /// prefill of many rows then reuses its activations' memory from chunk to chunk instead of faulting in fresh pages
    /// (docs/benchmarks.md, "Sampling roofline").
    /// </summary>
    internal Tensor InRowChunks(Tensor tokens, long widest, Func<Tensor, Tensor> forward)
    {
        long B = tokens.shape[0], T = tokens.shape[1], start = Length;
        long rowsPerChunk = Math.Max(1, ChunkFloats / (T * widest));
        // Each row's padding among the new positions; a row with nothing else there is fed whole, as the rest is masked.
        var skips = _padding.Select(p => p - start is > 0 and var skip && skip < T ? (int)skip : 0).ToArray();
        if (_chunk is not null || B <= rowsPerChunk && skips.All(skip => skip == 0)) return forward(tokens);

        Tensor? output = null;
        try
        {
            foreach (var rows in Enumerable.Range(0, (int)B).GroupBy(r => skips[r]).SelectMany(g => g.Chunk((int)rowsPerChunk)))
            {
                int skip = skips[rows[0]];
                using var scope = NewDisposeScope();
                var index = tensor(rows.Select(r => (long)r).ToArray(), device: _device);
                var (own, prefix) = Indices();
                _chunk = new Chunk(rows.Length, index, own.index_select(0, index), prefix?.index_select(0, index), _paddingColumn.index_select(0, index),
                                   Causal: rows.All(r => _padding[r] == start + skip));
                Length = start + skip;
                if (skip > 0) _own.Clear(index, start - _own.Start, skip);                     // padding left out: zeros, not stale memory, under the mask
                var part = forward(tokens.index_select(0, index).narrow(1, skip, T - skip));      // (n, T − skip, …)
                output ??= zeros([B, T, .. part.shape[2..]], part.dtype, _device).MoveToOuterDisposeScope();
                output.narrow(1, skip, T - skip).index_copy_(0, index, part);
            }
        }
        catch
        {
            Length = start;
            throw;
        }
        finally
        {
            _chunk = null;
        }
        Length = start + T;
        return output!;
    }

    public void Select(Tensor rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        long[] to = rows.to(int64, CPU).data<long>().ToArray();
        if (to.Any(r => r < 0 || r >= BatchSize)) throw new ArgumentOutOfRangeException(nameof(rows), $"Row indices must lie in [0, {BatchSize}).");
        Use([.. to.Select(r => (int)r)]);
    }

    public void Repeat(long times)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        if (times == 1) return;
        int[] to = [.. Enumerable.Range(0, (int)BatchSize).SelectMany(r => Enumerable.Repeat(r, (int)times))];
        if (_prefix is not null || Length == 0) { Use(to); return; }
        // Seal: the positions so far become the shared prefix, and every repeated row gets its own store after them.
        (_prefix, _prefixRow) = (_own, _ownRow);
        _own = new Store(this, to.Length, start: Length);
        _ownRow = [.. Enumerable.Range(0, to.Length)];
        Use(to, ownMoved: true);
    }

    public void Dispose()
    {
        _own.Dispose();
        _prefix?.Dispose();
        _paddingColumn.Dispose();
        DisposeIndices();
    }

    /// <summary>
    /// Each row's positions start .. start + T − 1, counted from its first real token (0 over its padding); (B, T), or
    /// (<see cref="Padded"/> rows, T) with the extra rows at position 0.
    /// </summary>
    internal Tensor Positions(long start, long T) => Padded((arange(start, start + T, device: _device).view(1, T) - (_chunk?.Padding ?? _paddingColumn)).clamp_min(0));

    /// <summary>
    /// The new tokens (B, T), or positions, with the extra rows a decode step computes: zeros. A bfloat16 cache's decode
    /// step runs on a multiple of <see cref="StepRows"/> rows, since the GEMM library behind bfloat16 (oneDNN) builds
    /// a kernel for every new row count, about 0.65 ms a linear at d = 128 (more than the product itself), and rows
    /// finish at almost every step; this way a few row counts recur. Rows are independent all through the model,
    /// attention gives the extra rows zeros, and <see cref="Unpadded"/> drops them.
    /// </summary>
    internal Tensor Padded(Tensor x)   // x (B, T) -> (rows, T)
    {
        long extra = KernelStep(x.shape[1]) && _dtype == ScalarType.BFloat16 ? (StepRows - BatchSize % StepRows) % StepRows : 0;
        return extra == 0 ? x : F.pad(x, [0, 0, 0, extra]);
    }

    /// <summary>The first B rows of a padded step's output.</summary>
    internal Tensor Unpadded(Tensor x) => x.shape[0] == (_chunk?.Count ?? BatchSize) ? x : x.narrow(0, 0, BatchSize);

    /// <summary>
    /// Writes one layer's new keys and values, (B, nkv, T, hs), at start..start+T-1, and attends the queries
    /// (B, nh, T, hs) to every position so far: softmax(q·kᵀ/√hs over the keys the row may see) · v, with the heads
    /// side by side, (B, T, nh · hs). With nkv &lt; nh (grouped-query attention) query head h reads key/value head
    /// h / (nh / nkv).
    /// </summary>
    internal Tensor Attend(int layer, Tensor q, Tensor k, Tensor v, long start)
    {
        var (B, nh, T, hs) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3]);
        long L = start + T;
        if (KernelStep(T))
            return DecodeAttention.Step(q, k, v, _own.Segment(layer, _ownRow), _prefix?.Segment(layer, _prefixRow) ?? default, _padding, L,
                _ownOrder ??= DecodeAttention.Order(_ownRow));

        // Prefill, or where the kernels do not run (another device or precision): a prompt's positions among
        // themselves, or libtorch's fused attention over the rows' positions gathered from the stores.
        if (start < _own.Start) throw new InvalidOperationException("Positions before the shared prefix's end cannot be written.");
        var (ownIndex, prefixIndex) = _chunk is { } c ? (c.Own, c.Prefix) : Indices();
        _own.Write(layer, ownIndex, k, v, start - _own.Start);
        if (_chunk?.Causal ?? _padding.All(first => first == start))                           // nothing before the new keys is visible
            return _kernel && T <= PromptAttention.LongestPrompt ? PromptAttention.Causal(q, k, v)
                : F.scaled_dot_product_attention(q, Grouped(k, nh), Grouped(v, nh), is_casual: true).transpose(1, 2).reshape(B, T, nh * hs);
        var (K, V) = _own.Read(layer, ownIndex, L - _own.Start);                               // (B, nkv, L − own.Start, hs)
        if (_prefix is not null)
        {
            var (prefixKeys, prefixValues) = _prefix.Read(layer, prefixIndex!, _own.Start);
            (K, V) = (cat([prefixKeys, K], 2), cat([prefixValues, V], 2));                     // (B, nkv, L, hs)
        }
        (K, V) = (Grouped(K, nh), Grouped(V, nh));                                             // (B, nh, L, hs)
        // Query i (position start + i) sees keys j ≤ its position that are no padding; a padding query sees itself
        // alone, since a fully masked row would give NaN, which would reach real rows through later layers' values.
        var j = arange(L, device: _device).view(1, 1, 1, L);
        var i = arange(start, L, device: _device).view(1, 1, T, 1);
        var mask = (j <= i) & ((j >= (_chunk?.Padding ?? _paddingColumn).view(B, 1, 1, 1)) | (j == i));   // (B, 1, T, L)
        return F.scaled_dot_product_attention(q, K, V, mask).transpose(1, 2).reshape(B, T, nh * hs);
    }

    internal void Advance(long T) => Length += T;

    // Whether a forward of T new positions is a decode step that DecodeAttention runs: one position, every row, a
    // cache the kernel supports.
    private bool KernelStep(long T) => T == 1 && _chunk is null && _kernel;

    // Keys or values (B, nkv, L, hs) for nh query heads: each key/value head repeated for its group of query heads.
    private static Tensor Grouped(Tensor kv, long nh) => kv.shape[1] == nh ? kv : kv.repeat_interleave(nh / kv.shape[1], 1);

    // Uses rows `to` of the rows in use, in that order. A row listed twice gets its own copy of its own positions, as
    // each copy will write there; ownMoved says the own rows were already given afresh.
    private void Use(int[] to, bool ownMoved = false)
    {
        _padding = [.. to.Select(r => _padding[r])];
        _prefixRow = [.. to.Select(r => _prefixRow[r])];
        if (!ownMoved)
        {
            int[] own = [.. to.Select(r => _ownRow[r])];
            if (own.Distinct().Count() == own.Length) _ownRow = own;
            else
            {
                var gathered = _own.Gather(own);
                _own.Dispose();
                (_own, _ownRow) = (gathered, [.. Enumerable.Range(0, own.Length)]);
            }
        }
        BatchSize = to.Length;
        _ownOrder = null;
        _paddingColumn.Dispose();
        _paddingColumn = tensor(_padding, device: _device).view(BatchSize, 1).DetachFromDisposeScope();
        DisposeIndices();
    }

    // Rows of a chunked forward, made once for all its layers: how many, which batch rows, their rows in each store
    // and their padding (B, 1), all on the device, and whether no position before the new ones is visible to any of
    // them (each row's padding reaches the first new position), so that their attention is causal over the new keys
    // alone.
    private sealed record Chunk(int Count, Tensor Index, Tensor Own, Tensor? Prefix, Tensor Padding, bool Causal);

    private (Tensor Own, Tensor? Prefix) Indices()
    {
        _ownIndex ??= tensor(_ownRow.Select(r => (long)r).ToArray(), device: _device).DetachFromDisposeScope();
        if (_prefix is not null) _prefixIndex ??= tensor(_prefixRow.Select(r => (long)r).ToArray(), device: _device).DetachFromDisposeScope();
        return (_ownIndex, _prefixIndex);
    }

    private void DisposeIndices()
    {
        _ownIndex?.Dispose();
        _prefixIndex?.Dispose();
        (_ownIndex, _prefixIndex) = (null, null);
    }

    // Positions [Start, Capacity) of some rows, every layer: (L, 2, blocks, rows, nkv, 8 · hs), a layer's keys then its
    // values, each in blocks of the decode kernel's eight positions. Its memory comes from the model's CacheMemory and
    // goes back there.
    private sealed class Store : IDisposable
    {
        private const int Block = DecodeAttention.Block;
        private readonly CacheMemory _memory;
        private readonly Tensor _data, _buffer;
        private readonly long _blocks, _rows, _heads, _headSize;
        private readonly nint _address;      // for the kernel (0 where it does not run): the tensor's data never moves
        private readonly long _layerBytes;   // one layer's keys, or values

        public Store(KeyValueCache cache, long rows, long start)
            : this(cache._memory, [cache._layers, 2, DecodeAttention.Blocks(cache.Capacity - start), rows, cache._heads, cache._headSize * Block], cache._headSize, start, cache._dtype, cache._device, cache._kernel) { }

        private Store(CacheMemory memory, long[] shape, long headSize, long start, ScalarType dtype, Device device, bool kernel)
        {
            (_memory, _headSize, Start) = (memory, headSize, start);
            (_blocks, _rows, _heads) = (shape[2], shape[3], shape[4]);
            (_data, _buffer) = memory.Rent(shape, dtype, device);
            (_address, _layerBytes) = (kernel ? DecodeAttention.Address(_data) : 0, _blocks * _rows * _heads * shape[5] * _data.element_size());
        }

        public long Start { get; }

        // One layer's keys, each head's block transposed, (blocks, rows, nkv, hs, 8), and values, (blocks, rows, nkv, 8, hs).
        private Tensor Keys(int layer) => _data[layer, 0].view(_blocks, _rows, _heads, _headSize, Block);

        private Tensor Values(int layer) => _data[layer, 1].view(_blocks, _rows, _heads, Block, _headSize);

        /// <summary>Writes keys and values (B, nkv, T, hs) at this store's positions at … at + T − 1 of the rows listed.</summary>
        public void Write(int layer, Tensor rows, Tensor k, Tensor v, long at)
        {
            var (keys, values) = (Keys(layer), Values(layer));
            for (long t = 0, T = k.shape[2]; t < T;)                                            // block by block: a block's run of slots in one copy
            {
                long p = at + t, block = p / Block, slot = p % Block, n = Math.Min(Block - slot, T - t);
                keys.select(0, block).narrow(3, slot, n).index_copy_(0, rows, k.narrow(2, t, n).transpose(2, 3));   // (rows, nkv, hs, n)
                values.select(0, block).narrow(2, slot, n).index_copy_(0, rows, v.narrow(2, t, n));                // (rows, nkv, n, hs)
                t += n;
            }
        }

        /// <summary>
        /// Zeros positions at … at + count − 1 of the rows listed, keys and values, every layer. Attention masks them,
        /// but libtorch's fused attention still multiplies their values by a weight of 0, and 0 · NaN is NaN.
        /// </summary>
        public void Clear(Tensor rows, long at, long count)
        {
            long layers = _data.shape[0];
            using var keys = _data.select(1, 0).view(layers, _blocks, _rows, _heads, _headSize, Block);
            using var values = _data.select(1, 1).view(layers, _blocks, _rows, _heads, Block, _headSize);
            for (long p = at; p < at + count; p++)
            {
                keys.select(1, p / Block).select(4, p % Block).index_fill_(1, rows, 0);          // (L, rows, nkv, hs)
                values.select(1, p / Block).select(3, p % Block).index_fill_(1, rows, 0);
            }
        }

        /// <summary>The keys and values of the first <paramref name="count"/> positions of the rows listed, (B, nkv, count, hs) each.</summary>
        public (Tensor Keys, Tensor Values) Read(int layer, Tensor rows, long count)
        {
            long blocks = DecodeAttention.Blocks(count), B = rows.shape[0];
            var keys = Keys(layer).narrow(0, 0, blocks).index_select(1, rows).permute(1, 2, 0, 4, 3);     // (B, nkv, blocks, 8, hs)
            var values = Values(layer).narrow(0, 0, blocks).index_select(1, rows).permute(1, 2, 0, 3, 4); // (B, nkv, blocks, 8, hs)
            return (keys.reshape(B, _heads, blocks * Block, _headSize).narrow(2, 0, count),
                    values.reshape(B, _heads, blocks * Block, _headSize).narrow(2, 0, count));
        }

        public DecodeAttention.Segment Segment(int layer, int[] rows) =>
            new(_address + (nint)(2 * layer * _layerBytes), _address + (nint)((2 * layer + 1) * _layerBytes), (int)Start, (int)_rows, rows);

        /// <summary>A new store holding copies of these rows, in this order.</summary>
        public Store Gather(int[] rows)
        {
            using var scope = NewDisposeScope();
            var shape = _data.shape;
            shape[3] = rows.Length;
            var gathered = new Store(_memory, shape, _headSize, Start, _data.dtype, _data.device, _address != 0);
            gathered._data.copy_(_data.index_select(3, tensor(rows.Select(r => (long)r).ToArray(), device: _data.device)));
            return gathered;
        }

        public void Dispose()
        {
            _data.Dispose();
            _memory.Return(_buffer);
        }
    }
}
