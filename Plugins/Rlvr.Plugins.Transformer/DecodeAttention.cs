// The attention of one decode step on the CPU, written out. A step attends one query per row and head to that row's
// cached keys: B · nh separate problems of one query each, which libtorch runs one small kernel call apiece (its fused
// attention and batched matmul alike), so at 2,048 rows its per-problem overhead, not the arithmetic or the bytes,
// set a step's time (docs/benchmarks.md, "Sampling roofline"). Here each row is one pass over its keys and values.
// The cache stores positions block-major (KeyValueCache): block j of eight positions holds every row's keys for them,
// each head's transposed, (hs, 8), and likewise their values, so the scores of eight keys are hs vector multiply-adds
// over one contiguous block, no horizontal sums, and a row's block of every head is one contiguous chunk. Rows are
// computed in the order of their rows in the store, so consecutive rows read consecutive chunks of each block: a few
// dense runs of memory that the hardware prefetches, rather than a short run per row and head (docs/benchmarks.md,
// "Block-major cache"). The softmax is exact (max subtracted) in float32. A row's positions may lie in two segments, a
// prefix shared with other rows and the row's own positions after it; the step also writes the new key and value
// into the row's own segment. Keys, values, queries and output are float32 or bfloat16 (the Element types); bfloat16
// is widened to float32 as it is loaded, so the arithmetic is float32 either way and a bfloat16 cache moves half the
// bytes. Rows are spread over torch's thread count; each row is computed by one thread in a fixed order, so the result
// does not depend on the number of threads.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Transformer;

internal static unsafe class DecodeAttention
{
    /// <summary>Keys scored at once (one Vector256 of float32); the cache rounds its slots up to whole blocks.</summary>
    public const int Block = 8;

    internal const int RowsPerTask = 32;   // rows handed to a thread at once

    /// <summary>Whether the kernel runs a cache of this precision, device and head size: float32 or bfloat16 on the CPU, a head size of whole blocks, vector hardware.</summary>
    public static bool Supports(ScalarType dtype, Device device, long headSize) =>
        Vector256.IsHardwareAccelerated && device.type == DeviceType.CPU && dtype is ScalarType.Float32 or ScalarType.BFloat16 && headSize % Block == 0;

    /// <summary>
    /// Positions from Start on of StoreRows rows for one layer, block-major: keys (blocks, StoreRows, nkv, hs, 8), each
    /// head's block transposed, and values (blocks, StoreRows, nkv, 8, hs), both contiguous, of the queries' type;
    /// batch row b reads store row Rows[b].
    /// </summary>
    public readonly record struct Segment(nint Keys, nint Values, int Start, int StoreRows, int[] Rows);

    /// <summary>
    /// Writes each row's new key and value, at position L − 1 of its own segment, then returns
    /// y[b, 0, h·hs …] = Σ_j softmax_j(q[b,h]·k[b,kv,j] / √hs) · v[b,kv,j] over the positions j ∈ [first[b], L) the row
    /// may see, kv = h / (nh / nkv): positions below own.Start from the shared prefix, the rest from the row's own.
    /// </summary>
    /// <param name="q">Queries, (B, nh, 1, hs).</param>
    /// <param name="k">New keys, (B, nkv, 1, hs).</param>
    /// <param name="v">New values, (B, nkv, 1, hs).</param>
    /// <param name="own">The rows' own positions, from own.Start on; rows distinct, as the step writes them.</param>
    /// <param name="prefix">Positions [0, own.Start), which rows may share; unused when own.Start is 0.</param>
    /// <param name="first">Per row, the first position it may see (its left padding).</param>
    /// <param name="L">The positions filled, the new one included.</param>
    /// <param name="order">The batch rows in the order of their own store rows (own.Rows ascending).</param>
    /// <returns>(B, 1, nh · hs), the heads side by side; q, k and v may have more rows than order (a padded step), which get zeros.</returns>
    public static Tensor Step(Tensor q, Tensor k, Tensor v, Segment own, Segment prefix, long[] first, long L, int[] order) => q.dtype switch
    {
        ScalarType.Float32 => Step<Float32>(q, k, v, own, prefix, first, L, order),
        ScalarType.BFloat16 => Step<BFloat16>(q, k, v, own, prefix, first, L, order),
        var other => throw new ArgumentException($"The decode kernel takes float32 or bfloat16, not {other}.", nameof(q)),
    };

    /// <summary>The batch rows sorted by the store rows they read: the order a step computes them in.</summary>
    public static int[] Order(int[] rows)
    {
        int[] order = [.. Enumerable.Range(0, rows.Length)];
        Array.Sort([.. rows], order);
        return order;
    }

    private static Tensor Step<T>(Tensor q, Tensor k, Tensor v, Segment own, Segment prefix, long[] first, long L, int[] order) where T : unmanaged, IElement<T>
    {
        int B = order.Length, nh = (int)q.shape[1], hs = (int)q.shape[3], nkv = (int)k.shape[1];
        using var queries = Readable<T>(q);                                                   // (B, nh, 1, hs)
        using var keys = Readable<T>(k);                                                      // (B, nkv, 1, hs)
        using var values = Readable<T>(v);
        var y = empty([q.shape[0], 1, nh * hs], q.dtype);
        if (q.shape[0] > B)
            using (var extra = y.narrow(0, B, q.shape[0] - B)) extra.zero_();                  // a padded step's extra rows
        var step = new StepArgs<T>(queries, keys, values, (T*)Address(y), own, prefix, first, nh, nkv, hs, (int)L);
        int scores = (Blocks(own.Start) + Blocks((int)L - own.Start)) * Block;

        void Rows(int task)
        {
            float* s = stackalloc float[scores + hs];                                         // one head's scores, then weights: prefix, own; its query
            for (int i = task * RowsPerTask, end = Math.Min(B, i + RowsPerTask); i < end; i++) Row(step, order[i], s, s + scores);
        }

        OnTorchThreads((B + RowsPerTask - 1) / RowsPerTask, Rows);
        return y;
    }

    /// <summary>Runs tasks 0 … n − 1 spread over torch's thread count; one thread runs them in order.</summary>
    internal static void OnTorchThreads(int tasks, Action<int> task)
    {
        int threads = Math.Min(torch.get_num_threads(), tasks);
        if (threads <= 1) for (int t = 0; t < tasks; t++) task(t);
        else Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = threads }, task);
    }

    // Queries, keys or values, (B, heads, T, hs), where a kernel reads them: a view's own elements where each head's hs
    // values are contiguous (as the q, k, v of one projection are), so that nothing is copied; otherwise a contiguous
    // copy. Element (b, h, t, d) is at Data + b · Row + h · Head + t · Position + d.
    internal readonly struct Input<T>(T* data, long row, long head, long position, Tensor? copy) : IDisposable where T : unmanaged
    {
        public readonly T* Data = data;
        public readonly long Row = row, Head = head, Position = position;

        public T* At(int b, int h) => Data + b * Row + h * Head;

        public void Dispose() => copy?.Dispose();
    }

    internal static Input<T> Readable<T>(Tensor x) where T : unmanaged
    {
        if (x.stride(3) == 1 && x.numel() > 0)
        {
            using var origin = x.as_strided([1], [1], 0);                                       // its storage's first element: TorchSharp gives a view's address only so
            return new Input<T>((T*)Address(origin) + x.storage_offset(), x.stride(0), x.stride(1), x.stride(2), null);
        }
        var copy = x.contiguous();
        return new Input<T>((T*)Address(copy), copy.stride(0), copy.stride(1), copy.stride(2), copy);
    }

    // What every row of a step reads: the new queries, keys and values and the output; the segments; each row's first
    // visible position; the shapes; the positions filled; the scores' scale; the size of a row's chunk of a block, and
    // the distance from one block of a segment to the next.
    private readonly struct StepArgs<T>(Input<T> q, Input<T> k, Input<T> v, T* y, Segment own, Segment prefix, long[] first, int heads, int kvHeads, int headSize, int length)
        where T : unmanaged
    {
        public readonly Input<T> Q = q, K = k, V = v;
        public readonly T* Y = y;
        public readonly Segment Own = own, Prefix = prefix;
        public readonly long[] First = first;
        public readonly int Heads = heads, KvHeads = kvHeads, HeadSize = headSize, Length = length;
        public readonly float Scale = 1f / MathF.Sqrt(headSize);                                  // 1 / √hs
        public readonly long Chunk = (long)kvHeads * headSize * Block;                           // one row's keys (or values) in a block, every head
        public readonly long OwnStride = (long)own.StoreRows * kvHeads * headSize * Block;       // from a row's block to its next, in each segment
        public readonly long PrefixStride = (long)prefix.StoreRows * kvHeads * headSize * Block;
    }

    /// <summary>An element type of the cache: eight of them load as, and store from, one float32 vector.</summary>
    internal interface IElement<TSelf> where TSelf : unmanaged
    {
        static abstract Vector256<float> Load(TSelf* p);

        static abstract void Store(Vector256<float> x, TSelf* p);
    }

    /// <summary>float32, four bytes read as they are.</summary>
    [StructLayout(LayoutKind.Sequential, Size = sizeof(float))]
    internal readonly struct Float32 : IElement<Float32>
    {
        public static Vector256<float> Load(Float32* p) => Vector256.Load((float*)p);

        public static void Store(Vector256<float> x, Float32* p) => x.Store((float*)p);
    }

    /// <summary>bfloat16: a float32's upper 16 bits. Widening shifts them back; narrowing rounds to nearest, ties to even, as libtorch does.</summary>
    [StructLayout(LayoutKind.Sequential, Size = sizeof(ushort))]
    internal readonly struct BFloat16 : IElement<BFloat16>
    {
        public static Vector256<float> Load(BFloat16* p) => (Vector256.WidenLower(Vector128.Load((ushort*)p).ToVector256Unsafe()) << 16).AsSingle();

        public static void Store(Vector256<float> x, BFloat16* p)
        {
            var bits = x.AsUInt32();
            var rounded = (bits + Vector256.Create(0x7FFFu) + ((bits >> 16) & Vector256<uint>.One)) >> 16;
            rounded = Vector256.ConditionalSelect(Vector256.Equals(x, x).AsUInt32(), rounded, Vector256.Create(0x7FC0u));   // NaN stays NaN
            Vector128.Narrow(rounded.GetLower(), rounded.GetUpper()).Store((ushort*)p);
        }
    }

    /// <summary>The blocks of <see cref="Block"/> positions that hold this many positions.</summary>
    public static int Blocks(long positions) => (int)((positions + Block - 1) / Block);

    // One row: its new key and value written to its own segment, then every head's attention over the prefix's
    // positions [first, shared) and its own [shared, L).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // optimised from the first call, not after tiering
    private static void Row<T>(in StepArgs<T> a, int b, float* s, float* widened) where T : unmanaged, IElement<T>
    {
        var (own, prefix, hs, nkv) = (a.Own, a.Prefix, a.HeadSize, a.KvHeads);
        int shared = own.Start, group = a.Heads / nkv, from = (int)a.First[b], prefixBlocks = Blocks(shared), ownBlocks = Blocks(a.Length - shared);
        long ownRow = own.Rows[b] * a.Chunk, prefixRow = shared > 0 ? prefix.Rows[b] * a.Chunk : 0;   // the rows' chunks in block 0
        int p = a.Length - 1 - shared;                                                        // the new position in the own segment
        long newBlock = ownRow + p / Block * a.OwnStride;                                     // its block's chunk for this row
        for (int g = 0; g < nkv; g++)
        {
            T* newKey = a.K.At(b, g), newValue = a.V.At(b, g);
            T* keys = (T*)own.Keys + newBlock + (long)g * hs * Block + p % Block;             // column p % 8 of the head's (hs, 8) keys
            for (int d = 0; d < hs; d++) keys[d * Block] = newKey[d];
            new ReadOnlySpan<T>(newValue, hs).CopyTo(new Span<T>((T*)own.Values + newBlock + ((long)g * Block + p % Block) * hs, hs));
        }
        for (int h = 0; h < a.Heads; h++)
        {
            long ownHead = ownRow + (long)(h / group) * hs * Block, prefixHead = prefixRow + (long)(h / group) * hs * Block;
            T* query = a.Q.At(b, h), o = a.Y + ((long)b * a.Heads + h) * hs;
            float* ownScores = s + prefixBlocks * Block;
            float* q = Widened(query, widened, hs);
            var top = Vector256.Create(float.NegativeInfinity);
            if (shared > 0) top = Scores((T*)prefix.Keys + prefixHead, a.PrefixStride, q, s, from, shared, prefixBlocks, hs, a.Scale, top);
            top = Scores((T*)own.Keys + ownHead, a.OwnStride, q, ownScores, from - shared, a.Length - shared, ownBlocks, hs, a.Scale, top);
            var norm = Softmax(s, (prefixBlocks + ownBlocks) * Block, Max(top));
            for (int c = 0; c < hs; c += 4 * Block)                                            // up to four chunks of eight output columns at once
            {
                int chunks = Math.Min(4, (hs - c) / Block);
                Vector256<float> o0 = default, o1 = default, o2 = default, o3 = default;
                if (shared > 0) Weighted((T*)prefix.Values + prefixHead + c, a.PrefixStride, hs, s, from, shared, chunks, ref o0, ref o1, ref o2, ref o3);
                Weighted((T*)own.Values + ownHead + c, a.OwnStride, hs, ownScores, from - shared, a.Length - shared, chunks, ref o0, ref o1, ref o2, ref o3);
                Store(o + c, norm, chunks, o0, o1, o2, o3);
            }
        }
    }

    // A query (or key) in float32: its own elements, or widened into `widened` (the branch is resolved per element type).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float* Widened<T>(T* query, float* widened, int hs) where T : unmanaged, IElement<T>
    {
        if (typeof(T) == typeof(Float32)) return (float*)query;
        for (int d = 0; d < hs; d += Block) T.Load(query + d).Store(widened + d);
        return widened;
    }

    // The scaled scores q·k of one segment's keys [0, blocks · 8) into s, −∞ outside [from, to), and the running
    // maximum; K is the row and head's first block, each next one `stride` elements on. Four blocks go through
    // independent accumulators at once; a block left over splits its sum over d four ways. Either way the multiply-adds
    // overlap instead of waiting on each other.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Scores<T>(T* K, long stride, float* q, float* s, int from, int to, int blocks, int hs, float scale, Vector256<float> max)
        where T : unmanaged, IElement<T>
    {
        var (lo, hi, mul) = (Vector256.Create((float)from), Vector256.Create((float)to), Vector256.Create(scale));
        int j0 = 0, end = blocks * Block;
        for (; j0 + 4 * Block <= end; j0 += 4 * Block)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;              // q · k for keys j0 … j0 + 31
            T* k = K + j0 / Block * stride;                                                    // four blocks of (hs, 8) keys
            long next = stride;
            for (int d = 0; d < hs; d++)
            {
                var qd = Vector256.Create(q[d]);
                a0 = Vector256.FusedMultiplyAdd(qd, T.Load(k + d * Block), a0);
                a1 = Vector256.FusedMultiplyAdd(qd, T.Load(k + next + d * Block), a1);
                a2 = Vector256.FusedMultiplyAdd(qd, T.Load(k + 2 * next + d * Block), a2);
                a3 = Vector256.FusedMultiplyAdd(qd, T.Load(k + 3 * next + d * Block), a3);
            }
            max = Vector256.Max(max, Vector256.Max(Vector256.Max(Mask(a0, j0, s, lo, hi, mul), Mask(a1, j0 + Block, s, lo, hi, mul)),
                                                   Vector256.Max(Mask(a2, j0 + 2 * Block, s, lo, hi, mul), Mask(a3, j0 + 3 * Block, s, lo, hi, mul))));
        }
        for (; j0 < end; j0 += Block)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;              // dimensions d ≡ 0, 1, 2, 3 (mod 4)
            T* k = K + j0 / Block * stride;                                                    // one block of (hs, 8) keys
            for (int d = 0; d < hs; d += 4)
            {
                a0 = Vector256.FusedMultiplyAdd(Vector256.Create(q[d]), T.Load(k + d * Block), a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.Create(q[d + 1]), T.Load(k + (d + 1) * Block), a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.Create(q[d + 2]), T.Load(k + (d + 2) * Block), a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.Create(q[d + 3]), T.Load(k + (d + 3) * Block), a3);
            }
            max = Vector256.Max(max, Mask(a0 + a1 + (a2 + a3), j0, s, lo, hi, mul));
        }
        return max;
    }

    // Stores the scaled scores of the block at j0, −∞ where the key is hidden, and returns them.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Mask(Vector256<float> dot, int j0, float* s, Vector256<float> from, Vector256<float> to, Vector256<float> scale)
    {
        var j = Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7) + Vector256.Create((float)j0);
        var seen = Vector256.GreaterThanOrEqual(j, from) & Vector256.LessThan(j, to);
        var score = Vector256.ConditionalSelect(seen, dot * scale, Vector256.Create(float.NegativeInfinity));
        score.Store(s + j0);
        return score;
    }

    // s ← exp(s − top) over n scores (exp(−∞) = 0 for hidden keys); returns 1 / their sum.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Softmax(float* s, int n, float top)
    {
        var (m, sum) = (Vector256.Create(top), Vector256<float>.Zero);
        for (int j0 = 0; j0 < n; j0 += Block)
        {
            var e = Vector256.Exp(Vector256.Load(s + j0) - m);
            e.Store(s + j0);
            sum += e;
        }
        return Vector256.Create(1f / Vector256.Sum(sum));
    }

    // o_i += Σ_j w[j] · V[j, 8i … 8i + 7] for i below chunks (at most four) over one segment's visible keys
    // j ∈ [from, to); V points at the first column of key 0, and key j lies j / 8 blocks (`stride` elements each) and
    // j % 8 positions (`step` elements each) on. Key by key, so the chunks' sums run side by side.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Weighted<T>(T* V, long stride, long step, float* w, int from, int to, int chunks,
        ref Vector256<float> o0, ref Vector256<float> o1, ref Vector256<float> o2, ref Vector256<float> o3) where T : unmanaged, IElement<T>
    {
        for (int j = Math.Max(from, 0); j < to; j++)
        {
            var wj = Vector256.Create(w[j]);
            T* v = V + j / Block * stride + j % Block * step;
            o0 = Vector256.FusedMultiplyAdd(wj, T.Load(v), o0);
            if (chunks > 1) o1 = Vector256.FusedMultiplyAdd(wj, T.Load(v + Block), o1);
            if (chunks > 2) o2 = Vector256.FusedMultiplyAdd(wj, T.Load(v + 2 * Block), o2);
            if (chunks > 3) o3 = Vector256.FusedMultiplyAdd(wj, T.Load(v + 3 * Block), o3);
        }
    }

    // o[8i … 8i + 7] = o_i · norm for i below chunks (at most four).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Store<T>(T* o, Vector256<float> norm, int chunks, Vector256<float> o0, Vector256<float> o1, Vector256<float> o2, Vector256<float> o3)
        where T : unmanaged, IElement<T>
    {
        T.Store(o0 * norm, o);
        if (chunks > 1) T.Store(o1 * norm, o + Block);
        if (chunks > 2) T.Store(o2 * norm, o + 2 * Block);
        if (chunks > 3) T.Store(o3 * norm, o + 3 * Block);
    }

    internal static float Max(Vector256<float> v)
    {
        var m = Vector128.Max(v.GetLower(), v.GetUpper());
        m = Vector128.Max(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
        return MathF.Max(m.GetElement(0), m.GetElement(1));
    }

    /// <summary>The address of a contiguous CPU tensor's first element.</summary>
    public static nint Address(Tensor t) => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));
}
