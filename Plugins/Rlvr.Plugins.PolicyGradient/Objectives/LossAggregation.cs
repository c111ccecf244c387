// How per-token losses l_{i,t} become one scalar (verl's agg_loss modes). See docs/ALGORITHMS table.
namespace Rlvr.PolicyGradient;

/// <summary>How per-token losses are reduced to one loss over the completion mask.</summary>
public enum LossAggregation
{
    /// <summary>mean_i [ Σ_t m·l / Σ_t m ]: each sequence weighs the same (original GRPO, length-biased).</summary>
    SeqMeanTokenMean,
    /// <summary>Σ m·l / Σ m over the whole batch: each token weighs the same (DAPO, verl default).</summary>
    TokenMean,
    /// <summary>Σ m·l / (rows · L_max): a constant normaliser (Dr. GRPO).</summary>
    SeqMeanTokenSumNorm,
}
