// How per-token losses l_{i,t} become one scalar (verl's agg_loss modes). Dr. GRPO arXiv:2503.20783 · DAPO arXiv:2503.14476.
using Rlvr.Objectives;
using static TorchSharp.torch;

namespace Rlvr.PolicyGradient;

/// <summary>Σ m·l / Σ m over the whole batch: each token weighs the same (DAPO, verl's default).</summary>
public sealed class TokenMean : ILossAggregation
{
    public const string Name = "token-mean";

    /// <inheritdoc />
    public Tensor Aggregate(Tensor perToken, Tensor mask, long maxLength) => Of(perToken, mask);

    /// <summary>The token mean of <paramref name="perToken"/> (B, T) over <paramref name="mask"/>; 0 for an empty mask.</summary>
    public static Tensor Of(Tensor perToken, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var (ml, m) = Masked(perToken, mask);
        return (ml.sum() / m.sum().clamp_min(1)).MoveToOuterDisposeScope();
    }

    // m·l with off-mask values filled first: 0 · inf off the mask would be NaN. Also the mask in l's dtype.
    internal static (Tensor MaskedLoss, Tensor Mask) Masked(Tensor perToken, Tensor mask)
    {
        var m = mask.to_type(perToken.dtype);                                          // (B, T)
        return (perToken.masked_fill(m.eq(0), 0) * m, m);
    }
}

/// <summary>mean_i [ Σ_t m·l / Σ_t m ] over rows with a masked token: each sequence weighs the same (original GRPO, length-biased).</summary>
public sealed class SeqMeanTokenMean : ILossAggregation
{
    public const string Name = "seq-mean-token-mean";

    /// <inheritdoc />
    public Tensor Aggregate(Tensor perToken, Tensor mask, long maxLength)
    {
        using var scope = NewDisposeScope();
        var (ml, m) = TokenMean.Masked(perToken, mask);
        // Rows with no masked token have no mean; they are left out of the average rather than counted as 0.
        var n = m.sum(1);                                                              // (B,) tokens per row
        var perRow = ml.sum(1) / n.clamp_min(1);                                       // (B,)
        return (perRow.sum() / n.gt(0).sum().to_type(ml.dtype).clamp_min(1)).MoveToOuterDisposeScope();
    }
}

/// <summary>Σ m·l / (B · L_max): a constant normaliser, L_max the generation budget (Dr. GRPO).</summary>
public sealed class SeqMeanTokenSumNorm : ILossAggregation
{
    public const string Name = "seq-mean-token-sum-norm";

    /// <inheritdoc />
    public Tensor Aggregate(Tensor perToken, Tensor mask, long maxLength)
    {
        if (maxLength < 1) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "maxLength (L_max) must be at least 1.");
        using var scope = NewDisposeScope();
        var (ml, _) = TokenMean.Masked(perToken, mask);
        return (ml.sum() / (double)(perToken.shape[0] * maxLength)).MoveToOuterDisposeScope();
    }
}
