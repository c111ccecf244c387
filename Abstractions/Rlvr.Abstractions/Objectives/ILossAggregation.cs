using static TorchSharp.torch;

namespace Rlvr.Objectives;

/// <summary>
/// Reduces per-token losses to one loss over the mask (token-mean, seq-mean-token-mean, ...). Register one with
/// <see cref="RlvrServiceCollectionExtensions.AddLossAggregation{TImplementation}"/>.
/// </summary>
public interface ILossAggregation
{
    /// <summary>One loss (0-dim) from per-token losses (B, T) and the mask (B, T); an empty mask gives 0.</summary>
    /// <param name="perToken">Per-token losses; values off the mask are ignored, even infinite ones.</param>
    /// <param name="mask">1 on the tokens that count.</param>
    /// <param name="maxLength">L_max, the generation budget in tokens.</param>
    Tensor Aggregate(Tensor perToken, Tensor mask, long maxLength);
}
