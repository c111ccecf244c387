// Per-token policy and value losses. Mirrors verl's verl/trainer/ppo/core_algos.py (compute_policy_loss_vanilla,
// compute_policy_loss_gspo, compute_value_loss). PPO arXiv:1707.06347 · dual-clip arXiv:1912.09729 ·
// DAPO clip-higher arXiv:2503.14476 · GSPO arXiv:2507.18071.
using static TorchSharp.torch;

namespace Rlvr.PolicyGradient;

/// <summary>
/// Policy-gradient losses on (B, T) per-token tensors. Returned tensors belong to the caller's dispose scope and live
/// on the device of the inputs.
/// </summary>
public static class PolicyLoss
{
    // log-ratios are clamped to ±20 before exp (as verl) so one outlier token gives a large, finite number rather than
    // inf, which the mask could not remove (0 · inf = NaN). Nothing in a sane run comes near e^20.
    internal const double MaxLogRatio = 20;

    /// <summary>
    /// PPO's clipped surrogate, per token: r = exp(lp − lp_old), l = −min(r·A, clip(r, 1 − ε_low, 1 + ε_high)·A); with
    /// dual-clip c &gt; 1, where A &lt; 0: l = min(l, −c·A) (c = 0: off). <paramref name="advantages"/> is (B, 1) or (B, T).
    /// Returns (B, T), not masked.
    /// </summary>
    public static Tensor ClippedSurrogate(Tensor logProbs, Tensor oldLogProbs, Tensor advantages, double epsLow, double epsHigh, double dualClip = 0)
    {
        using var scope = NewDisposeScope();
        return Clipped(Ratio(logProbs, oldLogProbs), advantages, epsLow, epsHigh, dualClip).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// GSPO's sequence importance ratio, length-normalised: s_i = exp(Σ_t m·(lp − lp_old) / Σ_t m), one per row, with
    /// gradient. Returns (B, 1); a row with no masked token gets 1.
    /// </summary>
    public static Tensor SequenceRatio(Tensor logProbs, Tensor oldLogProbs, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var m = mask.to_type(logProbs.dtype);                                          // (B, T)
        var meanLogRatio = ((logProbs - oldLogProbs) * m).sum(1, keepdim: true) / m.sum(1, keepdim: true).clamp_min(1);
        return meanLogRatio.clamp(-MaxLogRatio, MaxLogRatio).exp().MoveToOuterDisposeScope();   // (B, 1)
    }

    /// <summary>
    /// The clipped surrogate for a given ratio r (B, 1) or (B, T): l = −min(r·A, clip(r, 1 − ε_low, 1 + ε_high)·A), with
    /// dual-clip c &gt; 1 where A &lt; 0: l = min(l, −c·A). Returns the broadcast shape, not masked.
    /// </summary>
    public static Tensor Clipped(Tensor ratio, Tensor advantages, double epsLow, double epsHigh, double dualClip = 0)
    {
        CheckEps(epsLow, epsHigh);
        if (dualClip != 0 && !(dualClip > 1))
            throw new ArgumentOutOfRangeException(nameof(dualClip), dualClip, "dualClip must be 0 (off) or greater than 1.");
        using var scope = NewDisposeScope();
        var A = advantages;
        // −min(x, y) = max(−x, −y)
        var l = maximum(-ratio * A, -ratio.clamp(1 - epsLow, 1 + epsHigh) * A);
        // Dual-clip: a negative advantage with a huge ratio would otherwise give an unbounded loss.
        if (dualClip > 0) l = where(A.lt(0), minimum(l, -A * dualClip), l);
        return l.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Fractions of masked tokens where the clip is active: low = A &lt; 0 and r &lt; 1 − ε_low; high = A &gt; 0 and
    /// r &gt; 1 + ε_high, with r = exp(lp − lp_old). (0, 0) when the mask is empty. Reads two values back from the device.
    /// </summary>
    public static (double Low, double High) ClipFractions(Tensor logProbs, Tensor oldLogProbs, Tensor advantages, Tensor mask, double epsLow, double epsHigh)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return ClipFractions(Ratio(logProbs, oldLogProbs), advantages, mask, epsLow, epsHigh);
    }

    /// <summary>The same for a given importance ratio (B, T) (a sequence ratio spread over its row's tokens, for GSPO).</summary>
    public static (double Low, double High) ClipFractions(Tensor ratio, Tensor advantages, Tensor mask, double epsLow, double epsHigh)
    {
        CheckEps(epsLow, epsHigh);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (A, m) = (advantages, mask.to_type(ScalarType.Float32));
        var low = logical_and(A.lt(0), ratio.lt(1 - epsLow)).to_type(ScalarType.Float32) * m;
        var high = logical_and(A.gt(0), ratio.gt(1 + epsHigh)).to_type(ScalarType.Float32) * m;
        var fractions = stack([low.sum(), high.sum()]) / m.sum().clamp_min(1);
        var f = fractions.cpu().data<float>().ToArray();                               // sync point: device → host
        return (f[0], f[1]);
    }

    /// <summary>
    /// PPO value loss with clipping (verl's compute_value_loss): V_clip = V_old + clamp(V − V_old, −clip, clip), per
    /// token ½·max((V − R)², (V_clip − R)²), token-mean over the mask. <paramref name="clip"/> ≤ 0: plain ½(V − R)².
    /// </summary>
    public static Tensor ValueLoss(Tensor values, Tensor oldValues, Tensor returns, Tensor mask, double clip)
    {
        using var scope = NewDisposeScope();
        var err = (values - returns).square();                                         // (B, T)
        if (clip > 0)
        {
            // Pessimistic: the larger of the clipped and unclipped errors, so the critic can't move far in one update.
            var vClipped = oldValues + (values - oldValues).clamp(-clip, clip);
            err = maximum(err, (vClipped - returns).square());
        }
        return TokenMean.Of(0.5 * err, mask).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Mean token entropy −Σ_v p log p over the mask, from logits (B, T, V), in nats; 0 for an empty mask. No
    /// gradient; reads one value back from the device.
    /// </summary>
    public static double Entropy(Tensor logits, Tensor mask)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var logp = nn.functional.log_softmax(logits.to_type(ScalarType.Float32), -1);   // (B, T, V)
        var p = logp.exp();
        var H = -(p * logp).masked_fill(p.eq(0), 0).sum(-1);                           // (B, T); 0·log 0 = 0 for −inf logits
        var mean = TokenMean.Of(H, mask);
        return mean.item<float>();                                                     // sync point: device → host
    }

    /// <summary>r = exp(lp − lp_old), the per-token importance ratio, (B, T); the log-ratio is clamped to ±20 first.</summary>
    public static Tensor Ratio(Tensor logProbs, Tensor oldLogProbs) =>
        (logProbs - oldLogProbs).clamp(-MaxLogRatio, MaxLogRatio).exp();

    private static void CheckEps(double epsLow, double epsHigh)
    {
        if (!(epsLow >= 0 && epsLow <= 1)) throw new ArgumentOutOfRangeException(nameof(epsLow), epsLow, "epsLow must be in [0, 1].");
        if (!(epsHigh >= 0)) throw new ArgumentOutOfRangeException(nameof(epsHigh), epsHigh, "epsHigh must be non-negative.");
    }
}
