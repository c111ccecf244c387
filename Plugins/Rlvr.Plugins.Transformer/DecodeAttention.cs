// The attention of one decode step on the CPU, written out. A step attends one query per row and head to that row's
// cached keys: B · nh separate problems of one query each, which libtorch runs one small kernel call apiece (its fused
// attention and batched matmul alike), so at 2,048 rows its per-problem overhead, not the arithmetic or the bytes,
// set a step's time (docs/benchmarks.md, "Sampling roofline"). Here each row is one pass over its keys and values:
// with the keys stored transposed, (hs, slots), the scores of eight keys are hs vector multiply-adds, with no
// horizontal sums; the softmax is exact (max subtracted) in float32. Rows are spread over torch's thread count; each
// row is computed by one thread in a fixed order, so the result does not depend on the number of threads.
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

    private const int RowsPerTask = 32;   // rows handed to a thread at once

    /// <summary>Whether the kernel runs a cache of this precision, device and head size: float32 on the CPU, a head size of whole blocks, vector hardware.</summary>
    public static bool Supports(ScalarType dtype, Device device, long headSize) =>
        Vector256.IsHardwareAccelerated && device.type == DeviceType.CPU && dtype == ScalarType.Float32 && headSize % Block == 0;

    /// <summary>
    /// y[b, 0, h·hs …] = Σ_j softmax_j(q[b,h]·k[b,kv,j] / √hs) · v[b,kv,j] over the keys j ∈ [first[b], L) the row may
    /// see, kv = h / (nh / nkv).
    /// </summary>
    /// <param name="q">Queries, (B, nh, 1, hs).</param>
    /// <param name="keys">Keys, transposed and contiguous: (B, nkv, hs, slots), slots a multiple of <see cref="Block"/>.</param>
    /// <param name="values">Values, contiguous: (B, nkv, slots, hs).</param>
    /// <param name="first">Per row, the first slot it may see (its left padding).</param>
    /// <param name="L">The slots filled, the new one included.</param>
    /// <returns>(B, 1, nh · hs), the heads side by side.</returns>
    public static Tensor Compute(Tensor q, Tensor keys, Tensor values, long[] first, long L)
    {
        int B = (int)q.shape[0], nh = (int)q.shape[1], hs = (int)q.shape[3], nkv = (int)keys.shape[1], slots = (int)keys.shape[3];
        int group = nh / nkv, filled = (int)L, blocks = (filled + Block - 1) / Block;
        using var queries = q.contiguous();                                                   // (B, nh, 1, hs)
        var y = empty([B, 1, nh * hs], ScalarType.Float32);
        nint qp = Address(queries), kp = Address(keys), vp = Address(values), yp = Address(y);
        float scale = 1f / MathF.Sqrt(hs);

        void Rows(int task)
        {
            float* s = stackalloc float[blocks * Block];                                      // one head's scores, then weights
            for (int b = task * RowsPerTask, end = Math.Min(B, b + RowsPerTask); b < end; b++)
                for (int h = 0; h < nh; h++)
                {
                    long kv = ((long)b * nkv + h / group) * hs * slots;
                    float* qh = (float*)qp + ((long)b * nh + h) * hs, K = (float*)kp + kv, V = (float*)vp + kv, o = (float*)yp + ((long)b * nh + h) * hs;
                    Head(qh, K, V, o, s, (int)first[b], filled, blocks, hs, slots, scale);
                }
        }

        int tasks = (B + RowsPerTask - 1) / RowsPerTask, threads = Math.Min(torch.get_num_threads(), tasks);
        if (threads <= 1) for (int t = 0; t < tasks; t++) Rows(t);
        else Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = threads }, Rows);
        return y;
    }

    // One row and head: scores of keys [0, L) in blocks of eight (those outside [first, L) set to −∞), the softmax, and
    // the weighted sum of the visible values. Four blocks, or four keys, go through independent accumulators at once,
    // so that the multiply-adds overlap instead of waiting on each other.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // optimised from the first call, not after tiering
    private static void Head(float* q, float* K, float* V, float* o, float* s, int first, int L, int blocks, int hs, int slots, float scale)
    {
        var (from, to, mul) = (Vector256.Create((float)first), Vector256.Create((float)L), Vector256.Create(scale));
        var max = Vector256.Create(float.NegativeInfinity);
        int j0 = 0, end = blocks * Block;
        for (; j0 + 4 * Block <= end; j0 += 4 * Block)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;              // q · k for keys j0 … j0 + 31
            for (int d = 0; d < hs; d++)
            {
                var qd = Vector256.Create(q[d]);
                float* k = K + (long)d * slots + j0;
                a0 = Vector256.FusedMultiplyAdd(qd, Vector256.Load(k), a0);
                a1 = Vector256.FusedMultiplyAdd(qd, Vector256.Load(k + Block), a1);
                a2 = Vector256.FusedMultiplyAdd(qd, Vector256.Load(k + 2 * Block), a2);
                a3 = Vector256.FusedMultiplyAdd(qd, Vector256.Load(k + 3 * Block), a3);
            }
            max = Vector256.Max(max, Vector256.Max(Vector256.Max(Scores(a0, j0, s, from, to, mul), Scores(a1, j0 + Block, s, from, to, mul)),
                                                   Vector256.Max(Scores(a2, j0 + 2 * Block, s, from, to, mul), Scores(a3, j0 + 3 * Block, s, from, to, mul))));
        }
        for (; j0 < end; j0 += Block)
        {
            var a = Vector256<float>.Zero;
            for (int d = 0; d < hs; d++) a = Vector256.FusedMultiplyAdd(Vector256.Create(q[d]), Vector256.Load(K + (long)d * slots + j0), a);
            max = Vector256.Max(max, Scores(a, j0, s, from, to, mul));
        }

        var top = Vector256.Create(Max(max));
        var sum = Vector256<float>.Zero;
        for (j0 = 0; j0 < end; j0 += Block)
        {
            var e = Vector256.Exp(Vector256.Load(s + j0) - top);                              // exp(−∞) = 0 for hidden keys
            e.Store(s + j0);
            sum += e;
        }
        var norm = Vector256.Create(1f / Vector256.Sum(sum));

        for (int c = 0; c < hs; c += Block)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            float* v = V + c;
            int j = first;
            for (; j + 4 <= L; j += 4)
            {
                a0 = Vector256.FusedMultiplyAdd(Vector256.Create(s[j]), Vector256.Load(v + (long)j * hs), a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.Create(s[j + 1]), Vector256.Load(v + (long)(j + 1) * hs), a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.Create(s[j + 2]), Vector256.Load(v + (long)(j + 2) * hs), a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.Create(s[j + 3]), Vector256.Load(v + (long)(j + 3) * hs), a3);
            }
            for (; j < L; j++) a0 = Vector256.FusedMultiplyAdd(Vector256.Create(s[j]), Vector256.Load(v + (long)j * hs), a0);
            ((a0 + a1 + (a2 + a3)) * norm).Store(o + c);
        }
    }

    // Stores the scaled scores of the block at j0, −∞ where the key is hidden, and returns them.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector256<float> Scores(Vector256<float> dot, int j0, float* s, Vector256<float> from, Vector256<float> to, Vector256<float> scale)
    {
        var j = Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7) + Vector256.Create((float)j0);
        var seen = Vector256.GreaterThanOrEqual(j, from) & Vector256.LessThan(j, to);
        var score = Vector256.ConditionalSelect(seen, dot * scale, Vector256.Create(float.NegativeInfinity));
        score.Store(s + j0);
        return score;
    }

    private static float Max(Vector256<float> v)
    {
        var m = Vector128.Max(v.GetLower(), v.GetUpper());
        m = Vector128.Max(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
        return MathF.Max(m.GetElement(0), m.GetElement(1));
    }

    // The address of a contiguous CPU tensor's first element.
    private static nint Address(Tensor t) => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));
}
