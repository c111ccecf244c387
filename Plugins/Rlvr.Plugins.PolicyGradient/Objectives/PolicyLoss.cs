// Per-token policy and value losses, KL estimators and their aggregation into one scalar. Mirrors verl's
// verl/trainer/ppo/core_algos.py (compute_policy_loss_vanilla, kl_penalty, agg_loss, compute_value_loss).
// PPO arXiv:1707.06347 · dual-clip arXiv:1912.09729 · DAPO clip-higher arXiv:2503.14476 · Dr. GRPO arXiv:2503.20783.
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
    private const double MaxLogRatio = 20;

    /// <summary>
    /// PPO's clipped surrogate, per token: r = exp(lp − lp_old), l = −min(r·A, clip(r, 1 − ε_low, 1 + ε_high)·A); with
    /// dual-clip c &gt; 1, where A &lt; 0: l = min(l, −c·A) (c = 0: off). <paramref name="advantages"/> is (B, 1) or (B, T).
    /// Returns (B, T), not masked.
    /// </summary>
    public static Tensor ClippedSurrogate(Tensor logProbs, Tensor oldLogProbs, Tensor advantages, double epsLow, double epsHigh, double dualClip = 0)
    {
        CheckEps(epsLow, epsHigh);
        if (dualClip != 0 && !(dualClip > 1))
            throw new ArgumentOutOfRangeException(nameof(dualClip), dualClip, "dualClip must be 0 (off) or greater than 1.");
        using var scope = NewDisposeScope();
        var A = advantages;
        var ratio = Ratio(logProbs, oldLogProbs);                                      // (B, T)
        // −min(x, y) = max(−x, −y)
        var l = maximum(-ratio * A, -ratio.clamp(1 - epsLow, 1 + epsHigh) * A);       // (B, T)
        // Dual-clip: a negative advantage with a huge ratio would otherwise give an unbounded loss.
        if (dualClip > 0) l = where(A.lt(0), minimum(l, -A * dualClip), l);
        return l.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Fractions of masked tokens where the clip is active: low = A &lt; 0 and r &lt; 1 − ε_low; high = A &gt; 0 and
    /// r &gt; 1 + ε_high. (0, 0) when the mask is empty. Reads two values back from the device.
    /// </summary>
    public static (double Low, double High) ClipFractions(Tensor logProbs, Tensor oldLogProbs, Tensor advantages, Tensor mask, double epsLow, double epsHigh)
    {
        CheckEps(epsLow, epsHigh);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (A, m) = (advantages, mask.to_type(ScalarType.Float32));
        var ratio = Ratio(logProbs, oldLogProbs);                                      // (B, T)
        var low = logical_and(A.lt(0), ratio.lt(1 - epsLow)).to_type(ScalarType.Float32) * m;
        var high = logical_and(A.gt(0), ratio.gt(1 + epsHigh)).to_type(ScalarType.Float32) * m;
        var fractions = stack([low.sum(), high.sum()]) / m.sum().clamp_min(1);
        var f = fractions.cpu().data<float>().ToArray();                               // sync point: device → host
        return (f[0], f[1]);
    }

    /// <summary>
    /// Per-token KL(π_θ ‖ π_ref) estimate with d = lp_ref − lp: k1 = −d, k3 = exp(d) − d − 1 (≥ 0). Returns (B, T).
    /// </summary>
    public static Tensor Kl(Tensor logProbs, Tensor refLogProbs, KlEstimator estimator)
    {
        using var scope = NewDisposeScope();
        var d = refLogProbs - logProbs;                                                // (B, T)
        var kl = estimator switch
        {
            KlEstimator.K1 => -d,
            KlEstimator.K3 => K3(d.clamp(-MaxLogRatio, MaxLogRatio)),
            _ => throw new ArgumentOutOfRangeException(nameof(estimator), estimator, null),
        };
        return kl.MoveToOuterDisposeScope();

        static Tensor K3(Tensor d) => d.exp() - d - 1;
    }

    /// <summary>
    /// One loss from per-token losses l (B, T) and the mask m:
    /// <see cref="LossAggregation.SeqMeanTokenMean"/> = mean over rows with at least one masked token of Σ_t m·l / Σ_t m;
    /// <see cref="LossAggregation.TokenMean"/> = Σ m·l / Σ m;
    /// <see cref="LossAggregation.SeqMeanTokenSumNorm"/> = Σ m·l / (B · <paramref name="maxLength"/>), L_max the
    /// generation budget. An empty mask gives 0. Returns a 0-dim tensor.
    /// </summary>
    public static Tensor Aggregate(Tensor perToken, Tensor mask, LossAggregation aggregation, long maxLength)
    {
        if (aggregation == LossAggregation.SeqMeanTokenSumNorm && maxLength < 1)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "maxLength (L_max) must be at least 1.");
        using var scope = NewDisposeScope();
        var m = mask.to_type(perToken.dtype);                                          // (B, T)
        var ml = perToken.masked_fill(m.eq(0), 0) * m;                                 // fill first: 0 · inf off the mask would be NaN
        var loss = aggregation switch
        {
            LossAggregation.TokenMean => ml.sum() / m.sum().clamp_min(1),
            LossAggregation.SeqMeanTokenMean => SeqMean(ml, m),
            LossAggregation.SeqMeanTokenSumNorm => ml.sum() / (double)(perToken.shape[0] * maxLength),
            _ => throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, null),
        };
        return loss.MoveToOuterDisposeScope();

        // Rows with no masked token have no mean; they are left out of the average rather than counted as 0.
        static Tensor SeqMean(Tensor ml, Tensor m)
        {
            var n = m.sum(1);                                                          // (B,) tokens per row
            var perRow = ml.sum(1) / n.clamp_min(1);                                   // (B,)
            return perRow.sum() / n.gt(0).sum().to_type(ml.dtype).clamp_min(1);
        }
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
        return Aggregate(0.5 * err, mask, LossAggregation.TokenMean, values.shape[^1]).MoveToOuterDisposeScope();
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
        var mean = Aggregate(H, mask, LossAggregation.TokenMean, H.shape[1]);
        return mean.item<float>();                                                     // sync point: device → host
    }

    // r = exp(lp − lp_old), the per-token importance ratio.
    private static Tensor Ratio(Tensor logProbs, Tensor oldLogProbs) =>
        (logProbs - oldLogProbs).clamp(-MaxLogRatio, MaxLogRatio).exp();

    private static void CheckEps(double epsLow, double epsHigh)
    {
        if (!(epsLow >= 0 && epsLow <= 1)) throw new ArgumentOutOfRangeException(nameof(epsLow), epsLow, "epsLow must be in [0, 1].");
        if (!(epsHigh >= 0)) throw new ArgumentOutOfRangeException(nameof(epsHigh), epsHigh, "epsHigh must be non-negative.");
    }
}
