// Per-token losses, KL, aggregation, value loss and entropy against values worked out by hand in the comments.
// Ratios are set by old log-probs of 0 and log-probs of log r, so r = exp(log r − 0).
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Objectives;
using Rlvr.PolicyGradient.Tests.Support;
using static Rlvr.PolicyGradient.Tests.Support.TensorAssert;
using static TorchSharp.torch;

namespace Rlvr.PolicyGradient.Tests.Objectives;

public class PolicyLossTests
{
    private static Tensor LogOf(params float[] ratios) => Mat(1, ratios).log();

    [Fact]
    public void ClippedSurrogateClipsOnlyTheSideThatWouldHelp()
    {
        // ε = 0.2, so clip(r) ∈ [0.8, 1.2]; l = −min(r·A, clip(r)·A).
        // r=1.1, A=2:  inside the clip           → −min(2.2, 2.2)   = −2.2
        // r=1.5, A=1:  above 1.2 with A > 0       → −min(1.5, 1.2)   = −1.2 (clipped)
        // r=0.5, A=−1: below 0.8 with A < 0       → −min(−0.5, −0.8) = 0.8  (clipped)
        // r=1.5, A=−1: above with A < 0           → −min(−1.5, −1.2) = 1.5  (pessimistic side: not clipped)
        // r=0.5, A=1:  below with A > 0           → −min(0.5, 0.8)   = −0.5 (not clipped)
        var l = PolicyLoss.ClippedSurrogate(LogOf(1.1f, 1.5f, 0.5f, 1.5f, 0.5f), zeros(1, 5), Mat(1, 2, 1, -1, -1, 1), 0.2, 0.2);
        Close([-2.2, -1.2, 0.8, 1.5, -0.5], l);
    }

    [Fact]
    public void ClippedSurrogateBroadcastsOneAdvantagePerRow()
    {
        // A (2, 1) = [[1], [−1]]. Row 0: r = 1.5 → −1.2; r = 1 → −1. Row 1: r = 0.5 → 0.8; r = 1 → 1.
        var l = PolicyLoss.ClippedSurrogate(LogOf(1.5f, 1, 0.5f, 1).view(2, 2), zeros(2, 2), Mat(2, 1, -1), 0.2, 0.2);
        Assert.Equal([2L, 2L], l.shape);
        Close([-1.2, -1, 0.8, 1], l);
    }

    [Fact]
    public void ClipHigherLetsPositiveAdvantagesGrowFurther()
    {
        // A = 1, ratios 1.25 and 1.3. ε_high = 0.2: both clip at 1.2 → [−1.2, −1.2].
        // ε_high = 0.28 (DAPO): 1.25 is inside → −1.25; 1.3 clips at 1.28 → −1.28.
        var lp = LogOf(1.25f, 1.3f);
        var A = Mat(1, 1, 1);
        Close([-1.2, -1.2], PolicyLoss.ClippedSurrogate(lp, zeros(1, 2), A, 0.2, 0.2));
        Close([-1.25, -1.28], PolicyLoss.ClippedSurrogate(lp, zeros(1, 2), A, 0.2, 0.28));
    }

    [Fact]
    public void DualClipCapsTheLossOfNegativeAdvantagesAtCTimesMinusA()
    {
        // c = 3. r=5, A=−1: l = −min(−5, −1.2) = 5, capped at −A·c = 3.
        //        r=2, A=−1: l = 2 < 3, unchanged.
        //        r=5, A=+1: l = −1.2; the cap only applies where A < 0.
        // Without dual-clip the first is 5.
        var lp = LogOf(5, 2, 5);
        var A = Mat(1, -1, -1, 1);
        Close([3, 2, -1.2], PolicyLoss.ClippedSurrogate(lp, zeros(1, 3), A, 0.2, 0.2, dualClip: 3));
        Close([5, 2, -1.2], PolicyLoss.ClippedSurrogate(lp, zeros(1, 3), A, 0.2, 0.2));
    }

    [Fact]
    public void DualClipConstantMustExceedOne()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PolicyLoss.ClippedSurrogate(zeros(1, 1), zeros(1, 1), ones(1, 1), 0.2, 0.2, dualClip: 0.5));
    }

    [Fact]
    public void ClipFractionsCountMaskedTokensOnTheClippedSide()
    {
        // ε = 0.2. Token 0: A<0, r=0.5<0.8 → low. Token 1: A>0, r=1.5>1.2 → high. Token 2: r=1 → neither.
        // Token 3 would be high (A>0, r=1.5) but is off the mask. Three masked tokens: low = 1/3, high = 1/3.
        var (low, high) = PolicyLoss.ClipFractions(LogOf(0.5f, 1.5f, 1, 1.5f), zeros(1, 4), Mat(1, -1, 1, 1, 1), Mat(1, 1, 1, 1, 0), 0.2, 0.2);
        Assert.Equal(1 / 3.0, low, 1e-6);
        Assert.Equal(1 / 3.0, high, 1e-6);
    }

    [Fact]
    public void KlEstimatorsMatchTheirFormulas()
    {
        // d = lp_ref − lp = [−1.5 − (−1), −1 − (−2), −0.5 − (−0.5)] = [−0.5, 1, 0].
        // k1 = −d = [0.5, −1, 0].
        // k3 = e^d − d − 1 = [0.6065307 + 0.5 − 1, 2.7182818 − 1 − 1, 0] = [0.1065307, 0.7182818, 0].
        var lp = Mat(1, -1, -2, -0.5f);
        var lpRef = Mat(1, -1.5f, -1, -0.5f);
        Close([0.5, -1, 0], Parts.Get<IKlEstimator>("k1").Estimate(lp, lpRef));
        Close([0.1065307, 0.7182818, 0], Parts.Get<IKlEstimator>("k3").Estimate(lp, lpRef));
    }

    [Fact]
    public void K3IsNeverNegative()
    {
        // e^d ≥ 1 + d for every d, so k3 ≥ 0 even where k1 is negative.
        var g = new Generator(7);
        var lp = -rand(4, 16, generator: g) * 5;
        var lpRef = -rand(4, 16, generator: g) * 5;
        Assert.True(Parts.Get<IKlEstimator>("k3").Estimate(lp, lpRef).min().item<float>() >= 0);
        Assert.True(Parts.Get<IKlEstimator>("k1").Estimate(lp, lpRef).min().item<float>() < 0);
    }

    // l = [[1, 2, 3], [4, 5, 6]], mask = [[1, 1, 0], [1, 0, 0]]: masked tokens 1, 2 | 4.
    private static readonly Tensor s_l = Mat(2, 1, 2, 3, 4, 5, 6);
    private static readonly Tensor s_mask = Mat(2, 1, 1, 0, 1, 0, 0);

    [Theory]
    [InlineData("token-mean", 3, 7 / 3.0)]           // (1 + 2 + 4) / 3 tokens = 2.3333333
    [InlineData("seq-mean-token-mean", 3, 2.75)]       // mean(3/2, 4/1) = (1.5 + 4)/2 = 2.75
    [InlineData("seq-mean-token-sum-norm", 3, 7 / 6.0)] // 7 / (2 rows · L_max 3) = 1.1666667
    [InlineData("seq-mean-token-sum-norm", 4, 7 / 8.0)] // 7 / (2 rows · L_max 4) = 0.875
    public void AggregateReducesAsTheTableSays(string aggregation, long maxLength, double expected)
    {
        Close(expected, Parts.Get<ILossAggregation>(aggregation).Aggregate(s_l, s_mask, maxLength));
    }

    [Theory]
    [InlineData("token-mean", 7 / 3.0)]
    [InlineData("seq-mean-token-mean", 2.75)]          // the empty row is left out, not averaged in as 0 (that would give 5.5/3)
    [InlineData("seq-mean-token-sum-norm", 7 / 9.0)]    // 7 / (3 rows · 3): the constant normaliser counts every row
    public void AggregateIgnoresEmptyRowsAndNonFiniteOffMaskValues(string aggregation, double expected)
    {
        // The 2×3 example plus a third row with no masked token; off-mask values are inf and NaN, which m·l alone would
        // turn into NaN.
        var l = Mat(3, 1, 2, float.PositiveInfinity, 4, float.NaN, 6, 100, 100, 100);
        var mask = Mat(3, 1, 1, 0, 1, 0, 0, 0, 0, 0);
        Close(expected, Parts.Get<ILossAggregation>(aggregation).Aggregate(l, mask, 3));
    }

    [Fact]
    public void AggregateOfAnEmptyMaskIsZero()
    {
        foreach (var aggregation in Parts.Services.GetServices<ComponentDescriptor>().Where(d => d.Kind == ComponentKind.LossAggregation))
            Close(0, Parts.Get<ILossAggregation>(aggregation.Name).Aggregate(s_l, zeros(2, 3), 3));
    }

    // values, old values, returns, mask (1, 4); the last token is off the mask.
    private static readonly Tensor s_v = Mat(1, 1.0f, 2.0f, 2.0f, 0.5f);
    private static readonly Tensor s_vOld = Mat(1, 0.5f, 2.5f, 1.0f, 0.5f);
    private static readonly Tensor s_returns = Mat(1, 2.0f, 0.0f, 1.5f, 9.0f);
    private static readonly Tensor s_vMask = Mat(1, 1, 1, 1, 0);

    [Fact]
    public void ValueLossWithClipTakesTheLargerError()
    {
        // clip = 0.2. Token 0: (1 − 2)² = 1; V_clip = 0.5 + clamp(0.5) = 0.7, (0.7 − 2)² = 1.69 → ½·1.69 = 0.845.
        // Token 1: (2 − 0)² = 4; V_clip = 2.5 + clamp(−0.5) = 2.3, 2.3² = 5.29 → ½·5.29 = 2.645.
        // Token 2: (2 − 1.5)² = 0.25; V_clip = 1 + clamp(1) = 1.2, (1.2 − 1.5)² = 0.09 → ½·0.25 = 0.125 (unclipped wins).
        // Mean over 3 masked tokens: (0.845 + 2.645 + 0.125)/3 = 3.615/3 = 1.205.
        Close(1.205, PolicyLoss.ValueLoss(s_v, s_vOld, s_returns, s_vMask, 0.2));
    }

    [Fact]
    public void ValueLossWithoutClipIsHalfTheSquaredError()
    {
        // ½·[1, 4, 0.25] = [0.5, 2, 0.125]; mean over 3 masked tokens = 2.625/3 = 0.875.
        Close(0.875, PolicyLoss.ValueLoss(s_v, s_vOld, s_returns, s_vMask, 0));
    }

    [Fact]
    public void EntropyOfUniformLogitsIsLogV()
    {
        // V = 5 uniform: H = ln 5 = 1.6094379 on every token. The off-mask token is peaked (H ≈ 0), so counting it
        // would pull the mean down.
        var logits = zeros(2, 3, 5);
        logits[1, 2, 0] = tensor(10f);
        var mask = Mat(2, 1, 1, 1, 1, 1, 0);
        Assert.Equal(Math.Log(5), PolicyLoss.Entropy(logits, mask), 1e-5);
    }

    [Fact]
    public void EntropyAveragesNonUniformTokensAndHandlesMinusInfinityLogits()
    {
        // Token 0: p = [0.5, 0.25, 0.25] → H = 0.5·ln 2 + 0.5·ln 4 = 0.3465736 + 0.6931472 = 1.0397208.
        // Token 1: logits [0, −inf, 0] → p = [0.5, 0, 0.5], 0·log 0 = 0 → H = ln 2 = 0.6931472.
        // Mean = (1.0397208 + 0.6931472)/2 = 0.8664340.
        var logits = tensor(new[] { MathF.Log(0.5f), MathF.Log(0.25f), MathF.Log(0.25f), 0, float.NegativeInfinity, 0 }, [1, 2, 3]);
        Assert.Equal(0.8664340, PolicyLoss.Entropy(logits, ones(1, 2)), 1e-5);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(3.0)]
    public void AtRatioOneTheClippedLossHasTheReinforceGradient(double dualClip)
    {
        // At r = 1 the clip is inactive and ∂r/∂θ = ∂lp/∂θ, so ∇ TokenMean(−min(rA, clip(r)A)) = ∇ −Σ m·A·lp / Σ m.
        // A factor-of-two slip (e.g. both min branches counted) or a wrong mask/denominator would break the equality.
        var g = new Generator(11);
        var logits = randn(2, 3, 4, generator: g).requires_grad_();                  // (B, T, V) parameter
        var tokens = tensor(new long[] { 0, 3, 1, 2, 2, 0 }, [2, 3]);
        var A = Mat(2, 1.5f, -0.7f);                                                   // (B, 1)
        var mask = Mat(2, 1, 1, 0, 1, 1, 1);

        Tensor LogProbs() => nn.functional.log_softmax(logits, -1).gather(2, tokens.unsqueeze(-1)).squeeze(-1);   // (B, T)
        var oldLogProbs = LogProbs().detach();

        var ppo = TokenMean.Of(PolicyLoss.ClippedSurrogate(LogProbs(), oldLogProbs, A, 0.2, 0.28, dualClip), mask);
        var gradPpo = autograd.grad([ppo], [logits])[0];
        var reinforce = -(mask * A * LogProbs()).sum() / mask.sum();
        var gradReinforce = autograd.grad([reinforce], [logits])[0];

        Assert.True(gradReinforce.abs().max().item<float>() > 1e-3);                  // a real gradient, not zeros
        Close(Values(gradReinforce).Select(v => (double)v).ToArray(), gradPpo, 1e-6);
    }
}
