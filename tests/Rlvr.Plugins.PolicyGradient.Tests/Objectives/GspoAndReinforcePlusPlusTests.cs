// GSPO's sequence-ratio loss and REINFORCE++'s advantage, through their registered parts, against values worked by hand.
using Rlvr.Objectives;
using static Rlvr.PolicyGradient.Tests.Support.TensorAssert;
using static TorchSharp.torch;

namespace Rlvr.PolicyGradient.Tests.Objectives;

public class GspoAndReinforcePlusPlusTests
{
    // Row 0: masked columns 1-3, lp − lp_old = 0.0003, 0.0006, 0.0003 → mean 0.0004, s = e^0.0004 = 1.00040008.
    // Row 1: masked columns 1-2, lp − lp_old = −0.001, −0.003 (column 3 holds 5 but is off the mask) → mean −0.002,
    // s = e^−0.002 = 0.99800200. Column 0 is the prompt.
    private static readonly Tensor s_old = zeros(2, 4);
    private static readonly Tensor s_mask = Mat(2, 0, 1, 1, 1, 0, 1, 1, 0);
    private static readonly Tensor s_advantages = Mat(2, 0, 1, 1, 1, 0, -2, -2, 0);
    private static Tensor LogProbs() => Mat(2, 0, 0.0003f, 0.0006f, 0.0003f, 0, -0.001f, -0.003f, 5);

    [Fact]
    public void GspoClipsEachSequenceOnItsLengthNormalisedRatio()
    {
        // GSPO's clip range: s ∈ [1 − 3e-4, 1 + 4e-4] = [0.9997, 1.0004].
        // Row 0, A = 1:  −min(1.00040008, 1.0004) = −1.0004 on every token (clipped above).
        // Row 1, A = −2: −min(−1.99600400, −1.9994) = 1.9994 on every token (clipped below). A = 0 off the mask gives 0.
        var settings = new ObjectiveSettings(ClipLow: 3e-4, ClipHigh: 4e-4);
        var terms = Parts.Get<IPolicyLoss>("gspo").Loss(new PolicyLossInputs(LogProbs(), s_old, s_advantages, s_mask, settings));
        Close([1.00040008, 1.00040008, 1.00040008, 1.00040008, 0.99800200, 0.99800200, 0.99800200, 0.99800200], terms.Ratio, 1e-6);
        Close([0, -1.0004, -1.0004, -1.0004, 0, 1.9994, 1.9994, 0], terms.PerToken, 1e-5);
        // seq-mean-token-mean: (−1.0004 + 1.9994) / 2 = 0.4995.
        Close(0.4995, Parts.Get<ILossAggregation>("seq-mean-token-mean").Aggregate(terms.PerToken, s_mask, 4), 1e-5);
        // Both rows are clipped: row 0 above with A > 0 (3 of 5 masked tokens), row 1 below with A < 0 (2 of 5).
        var (low, high) = PolicyLoss.ClipFractions(terms.Ratio, s_advantages, s_mask, 3e-4, 4e-4);
        Assert.Equal((0.4, 0.6), (Math.Round(low, 6), Math.Round(high, 6)));
    }

    [Fact]
    public void GspoGradientSpreadsTheSequenceRatioOverItsTokens()
    {
        // Unclipped (ε = 0.2), loss = ½ Σ_i mean_t(−s_i·A_i), and ∂s_i/∂lp_{i,t} = s_i / n_i on the masked tokens, so
        // ∂loss/∂lp_{i,t} = −½·A_i·s_i / n_i: row 0: −½·1·1.00040008/3 = −0.16673335; row 1: −½·(−2)·0.99800200/2 =
        // 0.49900100; 0 off the mask.
        var lp = LogProbs().requires_grad_();
        var terms = Parts.Get<IPolicyLoss>("gspo").Loss(new PolicyLossInputs(lp, s_old, s_advantages, s_mask, new ObjectiveSettings()));
        var loss = Parts.Get<ILossAggregation>("seq-mean-token-mean").Aggregate(terms.PerToken, s_mask, 4);
        var grad = autograd.grad([loss], [lp])[0];
        Close([0, -0.16673335, -0.16673335, -0.16673335, 0, 0.49900100, 0.49900100, 0], grad, 1e-6);
    }

    [Fact]
    public void ReinforcePlusPlusSubtractsTheGroupsMeanReturnAndWhitensOverTheBatch()
    {
        // Two groups of two; column 0 is the prompt. Token rewards (a KL penalty of −0.1 and +0.2 on column 1, the
        // outcome on column 2): r0 = [·, −0.1, 1], r1 = [·, 0, 0], r2 = [·, 0, 1], r3 = [·, 0.2, 1].
        // Returns to go: [0.9, 1], [0, 0], [1, 1], [1.2, 1]; row totals 0.9, 0, 1, 1.2; group means 0.45 and 1.1.
        // Less the baseline: [0.45, 0.55], [−0.45, −0.45], [−0.1, −0.1], [0.1, −0.1]; mean −0.0125, population variance
        // 0.11859375, std 0.34437445; whitened = (x + 0.0125) / 0.34437445.
        var tokenRewards = Mat(4, 0, -0.1f, 1, 0, 0, 0, 0, 0, 1, 0, 0.2f, 1);
        var mask = Mat(4, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1);
        var inputs = new AdvantageInputs(zeros(4), tokenRewards, mask, 2, [[], [], [], []], null, new ObjectiveSettings());
        var estimate = Parts.Get<IAdvantageEstimator>("reinforce-pp").Estimate(inputs);
        Close([0, 1.343015, 1.633396, 0, -1.270419, -1.270419, 0, -0.254084, -0.254084, 0, 0.326679, -0.254084], estimate.Advantages, 1e-5);
        Assert.Null(estimate.Returns);
        Assert.False(Parts.Get<IAdvantageEstimator>("reinforce-pp").NeedsCritic);
    }
}
