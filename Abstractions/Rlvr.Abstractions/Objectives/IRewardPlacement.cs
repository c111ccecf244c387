using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.Objectives;

/// <summary>
/// Places a batch's rewards on its tokens, for the estimators that read token rewards (GAE, REINFORCE++). Register one
/// with <see cref="RlvrServiceCollectionExtensions.AddRewardPlacement{TImplementation}"/>.
/// </summary>
public interface IRewardPlacement
{
    /// <summary>Token rewards (B, T), 0 off <paramref name="mask"/>.</summary>
    /// <param name="rewards">Each row's reward (B), shaped.</param>
    /// <param name="batch">The batch, for rewards it holds per token (its step rewards).</param>
    /// <param name="mask">1 on the tokens that train, (B, T).</param>
    Tensor Place(Tensor rewards, RolloutBatch batch, Tensor mask);
}
