// Rotary positions as Llama applies them (RoFormer, arXiv:2104.09864): the head's two halves rotate together,
// frequencies θ_i = rope_theta^(−2i/hs), with Llama 3's scaling of long wavelengths when config.json asks for it.
using static TorchSharp.torch;

namespace Rlvr.Plugins.Llama;

internal static class Rotary
{
    /// x·cos + rotate_half(x)·sin, rotate_half(x₁, x₂) = (−x₂, x₁); the sign of −x₂ lives in the sin table.
    public static Tensor Rotate(Tensor x, Tensor cos, Tensor sin)   // x (..., T, hs); cos, sin broadcast to it
    {
        var half = x.shape[^1] / 2;
        return x * cos + cat([x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1) * sin;
    }

    /// cos table [cos(pθ), cos(pθ)], sin table [−sin(pθ), sin(pθ)] for positions p below <paramref name="positions"/>: (positions, hs) each,
    /// computed in float64. The caller owns them.
    public static (Tensor Cos, Tensor Sin) Tables(LlamaConfig c, long positions, ScalarType dtype, Device device)
    {
        using var scope = NewDisposeScope();
        var theta = tensor(Frequencies(c), float64);                                               // (hs/2)
        var angles = outer(arange(positions, dtype: float64), theta);                              // (positions, hs/2)
        var cos = cat([angles.cos(), angles.cos()], -1).to(dtype, device);
        var sin = cat([-angles.sin(), angles.sin()], -1).to(dtype, device);
        return (cos.DetachFromDisposeScope(), sin.DetachFromDisposeScope());
    }

    /// θ_i, and Llama 3's scaling: wavelengths 2π/θ above original/low_freq_factor are slowed by factor, those below
    /// original/high_freq_factor kept, and those between blended by how many wavelengths fit the original context.
    public static double[] Frequencies(LlamaConfig c)
    {
        var theta = Enumerable.Range(0, c.HeadSize / 2).Select(i => Math.Pow(c.RopeTheta, -2.0 * i / c.HeadSize)).ToArray();
        if (c.RopeScaling is not { } s) return theta;
        double longest = s.OriginalContextLength / s.LowFreqFactor, shortest = s.OriginalContextLength / s.HighFreqFactor;
        return [.. theta.Select(f =>
        {
            double wavelength = 2 * Math.PI / f;
            if (wavelength < shortest) return f;
            if (wavelength > longest) return f / s.Factor;
            double smooth = (s.OriginalContextLength / wavelength - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
            return (1 - smooth) * f / s.Factor + smooth * f;
        })];
    }
}
