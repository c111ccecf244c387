// A residual add and the layer norm after it in one pass on the CPU, for the bfloat16 decoding copy: y = x + a, then
// LayerNorm(y). A decode step at d = 128 is some fifty small libtorch ops, and on two threads each pays a hand-off to
// the second thread (docs/benchmarks.md, "Prompt attention" and "How OpenMP's threads wait"); this pass replaces two
// of them a block with one, its rows spread over torch's thread count. y is rounded to the type before it is normalised,
// as libtorch's add then norm would; the statistics are float32, mean then variance in a second pass over the row.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TorchSharp.Modules;
using static Rlvr.Plugins.Transformer.DecodeAttention;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Transformer;

internal static unsafe class ResidualNorm
{
    private const int RowsPerTask = 256;

    /// <summary>Whether the pass runs this residual stream: bfloat16 on the CPU, a width of whole vectors.</summary>
    public static bool Supports(Tensor x) => x.dtype == ScalarType.BFloat16 && DecodeAttention.Supports(x.dtype, x.device, x.shape[^1]);

    /// <summary>(x + a, norm(x + a)) for x, a (…, C) contiguous, and a layer norm over C with its weight and bias.</summary>
    public static (Tensor Sum, Tensor Normed) Apply(Tensor x, Tensor a, LayerNorm norm)
    {
        int C = (int)x.shape[^1], rows = (int)(x.numel() / C);
        using var xc = x.contiguous();
        using var ac = a.contiguous();
        var (weight, bias) = (norm.weight!, norm.bias!);
        if (weight.dtype != x.dtype || bias.dtype != x.dtype) throw new ArgumentException($"The norm's weight and bias must be {x.dtype}, as the stream is.", nameof(norm));
        var (sum, normed) = (empty_like(xc), empty_like(xc));
        nint px = Address(xc), pa = Address(ac), ps = Address(sum), pn = Address(normed), pw = Address(weight), pb = Address(bias);
        float eps = (float)norm.eps;

        void Rows(int task)
        {
            float* y = stackalloc float[C];
            for (int r = task * RowsPerTask, end = Math.Min(rows, r + RowsPerTask); r < end; r++)
                Row((BFloat16*)px + (long)r * C, (BFloat16*)pa + (long)r * C, (BFloat16*)ps + (long)r * C, (BFloat16*)pn + (long)r * C, (BFloat16*)pw, (BFloat16*)pb, eps, C, y);
        }

        OnTorchThreads((rows + RowsPerTask - 1) / RowsPerTask, Rows);
        return (sum, normed);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row(BFloat16* x, BFloat16* a, BFloat16* sum, BFloat16* normed, BFloat16* weight, BFloat16* bias, float eps, int C, float* y)
    {
        var total = Vector256<float>.Zero;
        for (int c = 0; c < C; c += Block)                                                     // y = x + a, rounded as stored
        {
            BFloat16.Store(BFloat16.Load(x + c) + BFloat16.Load(a + c), sum + c);
            var rounded = BFloat16.Load(sum + c);
            rounded.Store(y + c);
            total += rounded;
        }
        var mean = Vector256.Create(Vector256.Sum(total) / C);
        var squares = Vector256<float>.Zero;
        for (int c = 0; c < C; c += Block)
        {
            var d = Vector256.Load(y + c) - mean;
            squares = Vector256.FusedMultiplyAdd(d, d, squares);
        }
        var rstd = Vector256.Create(1f / MathF.Sqrt(Vector256.Sum(squares) / C + eps));
        for (int c = 0; c < C; c += Block)
            BFloat16.Store(Vector256.FusedMultiplyAdd((Vector256.Load(y + c) - mean) * rstd, BFloat16.Load(weight + c), BFloat16.Load(bias + c)), normed + c);
    }
}
