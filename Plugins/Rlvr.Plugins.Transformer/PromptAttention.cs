// The causal attention of a prefill's new positions among themselves on the CPU, written out: the rows of a chunk
// whose new positions see nothing cached before them (KeyValueCache's causal chunks, the prompts with each row's
// padding left out). libtorch's fused attention runs every row and head as its own small problem, at prompt lengths
// of about ten some 1.5 µs apiece on this kind of CPU (docs/benchmarks.md, "Prompt attention"), several times the
// arithmetic. Here one pass per row computes each head's T queries in turn, each over the keys before it: scores as
// dot products over the head size, the exact softmax (max subtracted) of DecodeAttention, and the weighted values key
// by key. Queries, keys and values are read where the projection wrote them, float32 or bfloat16, and the arithmetic
// is float32 either way. Rows are spread over torch's thread count; each row is computed by one thread in a fixed
// order, so the result does not depend on the number of threads.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static Rlvr.Plugins.Transformer.DecodeAttention;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Transformer;

internal static unsafe class PromptAttention
{
    /// <summary>
    /// y[b, t, h·hs …] = Σ_{j ≤ t} softmax_j(q[b,h,t]·k[b,kv,j] / √hs) · v[b,kv,j], kv = h / (nh / nkv): plain causal
    /// attention over the T new positions of each row. Runs where <see cref="DecodeAttention.Supports"/> does.
    /// </summary>
    /// <param name="q">Queries, (B, nh, T, hs).</param>
    /// <param name="k">Keys, (B, nkv, T, hs).</param>
    /// <param name="v">Values, (B, nkv, T, hs).</param>
    /// <returns>(B, T, nh · hs), the heads side by side.</returns>
    public static Tensor Causal(Tensor q, Tensor k, Tensor v) => q.dtype switch
    {
        ScalarType.Float32 => Causal<Float32>(q, k, v),
        ScalarType.BFloat16 => Causal<BFloat16>(q, k, v),
        var other => throw new ArgumentException($"The prompt kernel takes float32 or bfloat16, not {other}.", nameof(q)),
    };

    private static Tensor Causal<T>(Tensor q, Tensor k, Tensor v) where T : unmanaged, IElement<T>
    {
        var (B, nh, L, hs, nkv) = ((int)q.shape[0], (int)q.shape[1], (int)q.shape[2], (int)q.shape[3], (int)k.shape[1]);
        using var queries = Readable<T>(q);
        using var keys = Readable<T>(k);
        using var values = Readable<T>(v);
        var y = empty([B, L, nh * hs], q.dtype);
        var rows = new Args<T>(queries, keys, values, (T*)Address(y), nh, nkv, hs, L);

        void Rows(int task)
        {
            float* s = stackalloc float[Blocks(L) * Block + hs];                               // one query's scores, then weights; the query
            for (int b = task * RowsPerTask, end = Math.Min(B, b + RowsPerTask); b < end; b++) Row(rows, b, s, s + Blocks(L) * Block);
        }

        OnTorchThreads((B + RowsPerTask - 1) / RowsPerTask, Rows);
        return y;
    }

    // What every row reads: the queries, keys and values, the output, the shapes and the scores' scale.
    private readonly struct Args<T>(Input<T> q, Input<T> k, Input<T> v, T* y, int heads, int kvHeads, int headSize, int length) where T : unmanaged
    {
        public readonly Input<T> Q = q, K = k, V = v;
        public readonly T* Y = y;
        public readonly int Heads = heads, KvHeads = kvHeads, HeadSize = headSize, Length = length;
        public readonly float Scale = 1f / MathF.Sqrt(headSize);                                  // 1 / √hs
    }

    // One row: every head's queries t = 0 … T − 1, each over the keys j ≤ t.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // optimised from the first call, not after tiering
    private static void Row<T>(in Args<T> a, int b, float* s, float* widened) where T : unmanaged, IElement<T>
    {
        int hs = a.HeadSize, group = a.Heads / a.KvHeads;
        for (int h = 0; h < a.Heads; h++)
        {
            T* keys = a.K.At(b, h / group), values = a.V.At(b, h / group);
            for (int t = 0; t < a.Length; t++)
            {
                float* q = Widened(a.Q.At(b, h) + t * a.Q.Position, widened, hs);
                float top = float.NegativeInfinity;
                int n = Blocks(t + 1) * Block;                                                 // scores in whole vectors, −∞ past t
                for (int j = 0; j <= t; j++) top = MathF.Max(top, s[j] = Dot(q, keys + j * a.K.Position, hs) * a.Scale);
                for (int j = t + 1; j < n; j++) s[j] = float.NegativeInfinity;
                var norm = Softmax(s, n, top);
                T* o = a.Y + ((long)(b * a.Length + t) * a.Heads + h) * hs;
                for (int c = 0; c < hs; c += 4 * Block)                                        // up to four chunks of eight output columns at once
                {
                    int chunks = Math.Min(4, (hs - c) / Block);
                    Vector256<float> o0 = default, o1 = default, o2 = default, o3 = default;
                    Weighted(values + c, Block * a.V.Position, a.V.Position, s, 0, t + 1, chunks, ref o0, ref o1, ref o2, ref o3);
                    Store(o + c, norm, chunks, o0, o1, o2, o3);
                }
            }
        }
    }

    // q · k over hs (a multiple of eight) dimensions, two independent sums so that the multiply-adds overlap.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot<T>(float* q, T* k, int hs) where T : unmanaged, IElement<T>
    {
        Vector256<float> a0 = default, a1 = default;
        int d = 0;
        for (; d + 2 * Block <= hs; d += 2 * Block)
        {
            a0 = Vector256.FusedMultiplyAdd(Vector256.Load(q + d), T.Load(k + d), a0);
            a1 = Vector256.FusedMultiplyAdd(Vector256.Load(q + d + Block), T.Load(k + d + Block), a1);
        }
        if (d < hs) a0 = Vector256.FusedMultiplyAdd(Vector256.Load(q + d), T.Load(k + d), a0);
        return Vector256.Sum(a0 + a1);
    }
}
