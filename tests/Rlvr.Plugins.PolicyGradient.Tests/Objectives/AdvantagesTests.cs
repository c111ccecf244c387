// Advantage estimators against values worked out by hand in the comments; √ and fractions are given to 7 digits.
using Rlvr.PolicyGradient.Tests.Support;
using Rlvr.Training;
using static Rlvr.PolicyGradient.Tests.Support.TensorAssert;
using static TorchSharp.torch;

namespace Rlvr.PolicyGradient.Tests.Objectives;

public class AdvantagesTests
{
    // Group 1 = [1,0,0,1]: mean 0.5, deviations ±0.5. Group 2 = [1,1,1,1]: all equal, so 0 whatever the scale.
    private static readonly float[] s_rewards = [1, 0, 0, 1, 1, 1, 1, 1];

    [Fact]
    public void GrpoGroupScaleDividesByTheUnbiasedGroupStd()
    {
        // Unbiased (Bessel) std as verl's torch.std: var = 4·0.25 / (4−1) = 1/3, std = 0.5773503.
        // A = ±0.5 / (0.5773503 + 1e-6) = ±0.8660239. (A population std, 0.5, would give ±1.)
        var A = Advantages.Grpo(Vec(s_rewards), 4, AdvantageScale.Group);
        Close([0.8660239, -0.8660239, -0.8660239, 0.8660239, 0, 0, 0, 0], A);
    }

    [Fact]
    public void GrpoBatchScaleDividesByTheUnbiasedBatchStd()
    {
        // Batch mean 6/8 = 0.75; Σ(R − 0.75)² = 6·0.0625 + 2·0.5625 = 1.5; var = 1.5/7 = 0.2142857; std = 0.4629100.
        // Group means stay per group: A = ±0.5 / 0.4629110 = ±1.0801211 in group 1, 0 in group 2.
        var A = Advantages.Grpo(Vec(s_rewards), 4, AdvantageScale.Batch);
        Close([1.0801211, -1.0801211, -1.0801211, 1.0801211, 0, 0, 0, 0], A);
    }

    [Fact]
    public void GrpoNoScaleIsTheCentredReward()
    {
        // Dr. GRPO: A = R − mean_g R.
        var A = Advantages.Grpo(Vec(s_rewards), 4, AdvantageScale.None);
        Close([0.5, -0.5, -0.5, 0.5, 0, 0, 0, 0], A);
    }

    [Theory]
    [InlineData(AdvantageScale.Group)]
    [InlineData(AdvantageScale.Batch)]
    [InlineData(AdvantageScale.None)]
    public void GrpoGroupOfOneGetsZero(AdvantageScale scale)
    {
        // Each reward is its own group mean: no baseline, no signal.
        Close([0, 0, 0], Advantages.Grpo(Vec(3, -1, 0.5f), 1, scale));
    }

    [Fact]
    public void GrpoRejectsRowsThatDoNotSplitIntoGroups()
    {
        Assert.Throws<ArgumentException>(() => Advantages.Grpo(Vec(1, 0, 1), 2, AdvantageScale.Group));
    }

    [Fact]
    public void RlooSubtractsTheMeanOfTheOthers()
    {
        // G = 3. [1,0,0]: 1 − (0+0)/2 = 1; 0 − (1+0)/2 = −0.5 (twice).
        // [3,6,9]: 3 − (6+9)/2 = −4.5; 6 − (3+9)/2 = 0; 9 − (3+6)/2 = 4.5.
        var A = Advantages.Rloo(Vec(1, 0, 0, 3, 6, 9), 3);
        Close([1, -0.5, -0.5, -4.5, 0, 4.5], A);
    }

    [Fact]
    public void RlooGroupOfOneGetsZero()
    {
        Close([0, 0], Advantages.Rloo(Vec(5, 7), 1));
    }

    [Fact]
    public void PassAtKMatchesTheFormulaForN4K2()
    {
        // N = 4, k = 2, C(4,2) = 6, C(3,1) = 3.
        // Two failures: R̄ = 1 − C(2,2)/6 = 5/6, σ = √(5/36) = √5/6.
        //   A_pos = (1/6)/(√5/6) = 1/√5 = 0.4472136; A_neg = (1/6 − C(1,1)/3)/(√5/6) = −1/√5 = −0.4472136.
        // Three failures: R̄ = 1 − C(3,2)/6 = 1/2, σ = 1/2.
        //   A_pos = (1/2)/(1/2) = 1; A_neg = (1/2 − C(2,1)/3)/(1/2) = (1/2 − 2/3)·2 = −1/3.
        // The fourth group is also three failures: 0.6 counts as right, 0.4 as wrong (threshold 0.5).
        var A = Advantages.PassAtK(Vec(1, 1, 0, 0, 0, 1, 0, 0, 0.6f, 0.4f, 0, 0), 4, 2);
        Close([0.4472136, 0.4472136, -0.4472136, -0.4472136,
               -1 / 3.0, 1, -1 / 3.0, -1 / 3.0,
               1, -1 / 3.0, -1 / 3.0, -1 / 3.0], A);
    }

    [Fact]
    public void PassAtKGivesZeroWhereSigmaIsZero()
    {
        // All right: R̄ = 1. All wrong: R̄ = 1 − C(4,2)/C(4,2) = 0. One failure with k = 2: C(1,2) = 0 so R̄ = 1
        // (every pair holds a success). σ = √(R̄(1 − R̄)) = 0 in each.
        var A = Advantages.PassAtK(Vec(1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 1), 4, 2);
        Close(new double[12], A);
    }

    [Fact]
    public void PassAtKWithKOneIsTheRewardStandardisedByThePopulationStd()
    {
        // k = 1: R̄ = 1 − N_neg/N = p, σ = √(p(1 − p)) = population std of 0/1 rewards, A_pos = (1 − p)/σ,
        // A_neg = (1 − p − C(N_neg−1,0)/C(N−1,0))/σ = −p/σ: exactly (R − mean)/std_pop.
        // [1,0,0,0]: p = 1/4, σ = √3/4 → A_pos = √3 = 1.7320508, A_neg = −1/√3 = −0.5773503.
        // [1,1,0,0]: p = 1/2, σ = 1/2 → ±1.
        var A = Advantages.PassAtK(Vec(1, 0, 0, 0, 1, 1, 0, 0), 4, 1);
        Close([1.7320508, -0.5773503, -0.5773503, -0.5773503, 1, 1, -1, -1], A);

        // The same identity on a larger batch, against (R − mean)/std_pop computed directly.
        var R = Vec(1, 1, 0, 1, 0, 0, 0, 0, 1, 0);
        var g = R.view(-1, 5);
        var expected = ((g - g.mean([1], keepdim: true)) / g.std(1, unbiased: false, keepdim: true)).view(-1);
        Close(Values(expected).Select(v => (double)v).ToArray(), Advantages.PassAtK(R, 5, 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void PassAtKRejectsKOutsideOneToGroupSize(int k)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Advantages.PassAtK(Vec(1, 0, 0, 0), 4, k));
    }

    [Fact]
    public void GrpoProcessSumsTheNormalisedStepRewardsAtOrAfterEachToken()
    {
        // Group 1 (rows 0, 1): step rewards {1, 0, 1}: mean 2/3, population var = (2·(1/3)² + (2/3)²)/3 = 2/9,
        // std = √2/3 = 0.4714045. Normalised: 1 → (1/3)/(√2/3) = 1/√2 = 0.7071068; 0 → (−2/3)/(√2/3) = −√2 = −1.4142136.
        // Row 0, steps at columns 2 (1) and 4 (0), mask [0,1,1,1,1,0]:
        //   t ≤ 2: 0.7071068 − 1.4142136 = −0.7071068; t = 3, 4: −1.4142136; t = 5: nothing after → 0; t = 0 off mask.
        // Row 1, step at column 3 (1), mask [0,1,1,1,0,0]: t ≤ 3: 0.7071068, then 0.
        // Group 2 (rows 2, 3): step rewards all 1 → 0. Group 3 (rows 4, 5): no steps → 0; their masks are all ones, so
        // the zeros do not come from the mask.
        IReadOnlyList<TokenReward>[] steps =
        [
            [new(2, 1), new(4, 0)], [new(3, 1)],
            [new(1, 1)], [new(2, 1)],
            [], [],
        ];
        var mask = Mat(6,
            0, 1, 1, 1, 1, 0,
            0, 1, 1, 1, 0, 0,
            1, 1, 1, 1, 1, 1,
            1, 1, 1, 1, 1, 1,
            1, 1, 1, 1, 1, 1,
            1, 1, 1, 1, 1, 1);
        var A = Advantages.GrpoProcess(steps, 2, mask);
        Assert.Equal([6L, 6L], A.shape);
        double[] expected =
        [
            0, -0.7071068, -0.7071068, -1.4142136, -1.4142136, 0,
            0, 0.7071068, 0.7071068, 0.7071068, 0, 0,
            .. new double[24],
        ];
        Close(expected, A);
    }

    [Fact]
    public void GrpoProcessRejectsAStepOutsideTheColumns()
    {
        IReadOnlyList<TokenReward>[] steps = [[new(3, 1)], [new(0, 0)]];
        Assert.Throws<ArgumentOutOfRangeException>(() => Advantages.GrpoProcess(steps, 2, ones(2, 3)));
    }

    [Fact]
    public void GaeWithGammaAndLambdaOneGivesReturnsToGo()
    {
        // γ = λ = 1: returns_t = Σ_{s ≥ t} r_s over masked columns; A = returns − V. Off-mask rewards and values
        // (the 7 and 9 on row 0's prompt, the 5s and 3s on row 1's padding) take no part.
        // Row 0, mask [0,1,1,1], r = [·, 0.5, 0, 1], V = [·, 0.2, 0.4, 0.6]:
        //   returns = [0, 1.5, 1, 1]; A = [0, 1.3, 0.6, 0.4].
        // Row 1, mask [1,1,0,0], r = [0, 1, ·, ·], V = [0.5, 0.5, ·, ·]: returns = [1, 1, 0, 0]; A = [0.5, 0.5, 0, 0].
        var r = Mat(2, 7, 0.5f, 0, 1, 0, 1, 5, 5);
        var V = Mat(2, 9, 0.2f, 0.4f, 0.6f, 0.5f, 0.5f, 3, 3);
        var mask = Mat(2, 0, 1, 1, 1, 1, 1, 0, 0);
        var (A, returns) = Advantages.Gae(r, V, mask, 1, 1);
        Close([0, 1.5, 1, 1, 1, 1, 0, 0], returns);
        Close([0, 1.3, 0.6, 0.4, 0.5, 0.5, 0, 0], A);
    }

    [Fact]
    public void GaeDiscountsByGammaAndLambdaOverTheMaskedColumns()
    {
        // γ = 0.9, λ = 0.5, γλ = 0.45.
        // Row 0, mask [0,0,1,1,1] (starts at column 2), r = [·,·, 0.1, 0, 1], V = [·,·, 0.5, 0.4, 0.8]:
        //   t=4: δ = 1 + 0.9·0 − 0.8 = 0.2;          A = 0.2
        //   t=3: δ = 0 + 0.9·0.8 − 0.4 = 0.32;       A = 0.32 + 0.45·0.2 = 0.41
        //   t=2: δ = 0.1 + 0.9·0.4 − 0.5 = −0.04;    A = −0.04 + 0.45·0.41 = 0.1445
        //   returns = A + V = [·,·, 0.6445, 0.81, 1.0]
        // Row 1, mask [1,1,1,0,0], r = [0, 0, 1, ·, ·], V = [0.1, 0.2, 0.3, ·, ·]:
        //   t=2: δ = 1 − 0.3 = 0.7;                  A = 0.7
        //   t=1: δ = 0.9·0.3 − 0.2 = 0.07;           A = 0.07 + 0.45·0.7 = 0.385
        //   t=0: δ = 0.9·0.2 − 0.1 = 0.08;           A = 0.08 + 0.45·0.385 = 0.25325
        //   returns = [0.35325, 0.585, 1.0, 0, 0]
        var r = Mat(2, 3, 3, 0.1f, 0, 1, 0, 0, 1, 9, 9);
        var V = Mat(2, 5, 5, 0.5f, 0.4f, 0.8f, 0.1f, 0.2f, 0.3f, 9, 9);
        var mask = Mat(2, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0);
        var (A, returns) = Advantages.Gae(r, V, mask, 0.9, 0.5);
        Close([0, 0, 0.1445, 0.41, 0.2, 0.25325, 0.385, 0.7, 0, 0], A);
        Close([0, 0, 0.6445, 0.81, 1.0, 0.35325, 0.585, 1.0, 0, 0], returns);
    }

    [Fact]
    public void GaeLetsNoGradientThrough()
    {
        var V = Mat(1, 0.5f, 0.5f).requires_grad_();
        var (A, returns) = Advantages.Gae(Mat(1, 0, 1), V, Mat(1, 1, 1), 1, 0.95);
        Assert.False(A.requires_grad);
        Assert.False(returns.requires_grad);
    }
}
