// The causal attention of a prefill's new positions among themselves on the CPU, written out: the rows of a chunk
// whose new positions see nothing cached before them (KeyValueCache's causal chunks, the prompts with each row's
// padding left out). libtorch's fused attention runs every row and head as its own small problem, which at prompt
// lengths of about ten costs several times the arithmetic (docs/benchmarks.md, "Prompt attention"). Here one pass per
// row lays each key/value head's keys out in blocks of eight, each transposed, as the cache holds them, and computes
// every query t of its heads in turn over the keys j ≤ t with DecodeAttention's pieces: eight scores at a time by
// vector multiply-adds, the exact softmax (max subtracted), and the weighted values key by key. Its work grows as
// T² a row where libtorch's tiles amortise theirs, so it runs prompts of up to LongestPrompt positions, where it
// measured faster. Queries, keys and values are read where the projection wrote them, float32 or bfloat16, and the
// arithmetic is float32 either way. Rows are spread over torch's thread count; each row is computed by one thread in
// a fixed order, so the result does not depend on the number of threads.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static Rlvr.Plugins.Transformer.DecodeAttention;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Transformer;

internal static unsafe class PromptAttention
{
    /// <summary>The longest run of new positions the kernel takes (also what bounds its per-thread scratch).</summary>
    public const int LongestPrompt = 32;

    /// <summary>
    /// y[b, t, h·hs …] = Σ_{j ≤ t} softmax_j(q[b,h,t]·k[b,kv,j] / √hs) · v[b,kv,j], kv = h / (nh / nkv): plain causal
    /// attention over the T ≤ <see cref="LongestPrompt"/> new positions of each row, where <see cref="DecodeAttention.Supports"/> holds.
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
        if (L > LongestPrompt) throw new ArgumentException($"The prompt kernel takes up to {LongestPrompt} positions, not {L}.", nameof(q));
        using var queries = Readable<T>(q);
        using var keys = Readable<T>(k);
        using var values = Readable<T>(v);
        var y = empty([B, L, nh * hs], q.dtype);
        var rows = new Args<T>(queries, keys, values, (T*)Address(y), nh, nkv, hs, L);

        void Rows(int task)
        {
            // Per thread: one key/value head's keys in float32 blocks, (blocks, hs, 8) as the cache holds them; one
            // query's scores, then weights; the query.
            int scores = Blocks(L) * Block;
            float* keyBlocks = stackalloc float[scores * hs + scores + hs];
            for (int b = task * RowsPerTask, end = Math.Min(B, b + RowsPerTask); b < end; b++) Row(rows, b, keyBlocks, keyBlocks + scores * hs, keyBlocks + scores * hs + scores);
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

    // One row: for each key/value head, its keys laid out in blocks of eight, each transposed (hs, 8), so that
    // DecodeAttention.Scores scores eight keys with hs vector multiply-adds; then each of its query heads' queries
    // t = 0 … T − 1 over the keys j ≤ t.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // optimised from the first call, not after tiering
    private static void Row<T>(in Args<T> a, int b, float* keyBlocks, float* s, float* widened) where T : unmanaged, IElement<T>
    {
        int hs = a.HeadSize, group = a.Heads / a.KvHeads;
        for (int g = 0; g < a.KvHeads; g++)
        {
            T* keys = a.K.At(b, g), values = a.V.At(b, g);
            for (int j = 0; j < a.Length; j++)                                                 // key j: column j % 8 of block j / 8
            {
                float* key = Widened(keys + j * a.K.Position, widened, hs), column = keyBlocks + j / Block * hs * Block + j % Block;
                for (int d = 0; d < hs; d++) column[d * Block] = key[d];
            }
            for (int h = g * group; h < (g + 1) * group; h++)
                for (int t = 0; t < a.Length; t++)
                {
                    float* q = Widened(a.Q.At(b, h) + t * a.Q.Position, widened, hs);
                    int blocks = Blocks(t + 1);
                    var norm = Softmax(s, blocks * Block, Max(Scores((Float32*)keyBlocks, hs * Block, q, s, 0, t + 1, blocks, hs, a.Scale, Vector256.Create(float.NegativeInfinity))));
                    T* o = a.Y + ((long)(b * a.Length + t) * a.Heads + h) * hs;
                    for (int c = 0; c < hs; c += 4 * Block)                                    // up to four chunks of eight output columns at once
                    {
                        int chunks = Math.Min(4, (hs - c) / Block);
                        Vector256<float> o0 = default, o1 = default, o2 = default, o3 = default;
                        Weighted(values + c, Block * a.V.Position, a.V.Position, s, 0, t + 1, chunks, ref o0, ref o1, ref o2, ref o3);
                        Store(o + c, norm, chunks, o0, o1, o2, o3);
                    }
                }
        }
    }
}
