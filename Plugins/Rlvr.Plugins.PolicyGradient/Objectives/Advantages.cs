// Advantage estimators of the GRPO family and PPO's GAE, as pure tensor math. Mirrors verl's
// verl/trainer/ppo/core_algos.py (compute_grpo_outcome_advantage, compute_rloo_outcome_advantage,
// compute_gae_advantage_return). GRPO arXiv:2402.03300 · Dr. GRPO arXiv:2503.20783 · RLOO arXiv:2402.14740 ·
// Pass@k Training arXiv:2508.10751 · GAE arXiv:1506.02438 · REINFORCE++ arXiv:2501.03262.
using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.PolicyGradient;

/// <summary>
/// Advantage estimators. Rows are grouped consecutively: row i belongs to group i / G. Returned tensors belong to the
/// caller's dispose scope and live on the device of the inputs.
/// </summary>
public static class Advantages
{
    /// <summary>
    /// GRPO: A_i = (R_i − mean_g R) / (std + ε), std per <paramref name="scale"/> (unbiased, as verl's torch.std);
    /// <see cref="AdvantageScale.None"/> gives R_i − mean_g R (Dr. GRPO). Rewards (B) → advantages (B); G = 1 gives 0.
    /// </summary>
    public static Tensor Grpo(Tensor rewards, int groupSize, AdvantageScale scale, double epsilon = 1e-6)
    {
        CheckGroups(rewards, groupSize);
        if (groupSize == 1) return zeros_like(rewards);                // no baseline from a group of one
        using var scope = NewDisposeScope();
        var R = rewards.view(-1, groupSize);                           // (N, G)
        var A = R - R.mean([1], keepdim: true);
        // torch.std is unbiased (Bessel, /(G-1)); verl's GRPO uses it, so we do too.
        A = scale switch
        {
            AdvantageScale.Group => A / (R.std(1, unbiased: true, keepdim: true) + epsilon),
            AdvantageScale.Batch => A / (rewards.std(unbiased: true) + epsilon),
            _ => A,
        };
        return A.view(-1).MoveToOuterDisposeScope();                   // (B,)
    }

    /// <summary>RLOO: A_i = R_i − mean_{j≠i} R_j, the mean of the other G − 1 rewards. Rewards (B) → (B); G = 1 gives 0.</summary>
    public static Tensor Rloo(Tensor rewards, int groupSize)
    {
        CheckGroups(rewards, groupSize);
        if (groupSize == 1) return zeros_like(rewards);                // no other sample to leave in
        using var scope = NewDisposeScope();
        var R = rewards.view(-1, groupSize);                           // (N, G)
        var leaveOneOut = (R.sum(1, keepdim: true) - R) / (groupSize - 1);
        return (R - leaveOneOut).view(-1).MoveToOuterDisposeScope();   // (B,)
    }

    /// <summary>
    /// Pass@k advantage for 0/1 rewards (reward &gt; 0.5 counts as correct). With N = G and N_neg failures in the group:
    /// R̄ = 1 − C(N_neg, k)/C(N, k), σ = √(R̄(1 − R̄)), A_pos = (1 − R̄)/σ,
    /// A_neg = (1 − R̄ − C(N_neg − 1, k − 1)/C(N − 1, k − 1))/σ. σ = 0 (all right, all wrong, or fewer than k
    /// failures so every k-subset passes) gives 0. Rewards (B) → float32 (B). For k = 1 this is (R − mean)/std with the
    /// population std.
    /// </summary>
    public static Tensor PassAtK(Tensor rewards, int groupSize, int k)
    {
        CheckGroups(rewards, groupSize);
        if (k < 1 || k > groupSize)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in [1, groupSize = {groupSize}].");

        // The advantages depend only on N_neg, so tabulate them for N_neg = 0..N on the host and look them up on
        // the device: no sync, no per-group loop.
        int N = groupSize;
        var aPos = new float[N + 1];
        var aNeg = new float[N + 1];
        for (int nNeg = 0; nNeg <= N; nNeg++)
        {
            double Rbar = 1 - ChooseRatio(nNeg, N, k);                         // pass@k of the group
            double sigma = Math.Sqrt(Rbar * (1 - Rbar));
            if (sigma < 1e-12) continue;                                       // all k-subsets agree: no signal
            aPos[nNeg] = (float)((1 - Rbar) / sigma);
            aNeg[nNeg] = (float)((1 - Rbar - ChooseRatio(nNeg - 1, N - 1, k - 1)) / sigma);
        }

        using var scope = NewDisposeScope();
        var correct = rewards.view(-1, N).gt(0.5);                               // (Ng, N) bool
        var nNegs = (N - correct.sum(1, keepdim: false, type: ScalarType.Int64)); // (Ng,)
        var Apos = tensor(aPos, device: rewards.device).index_select(0, nNegs).unsqueeze(1);   // (Ng, 1)
        var Aneg = tensor(aNeg, device: rewards.device).index_select(0, nNegs).unsqueeze(1);   // (Ng, 1)
        return where(correct, Apos, Aneg).view(-1).MoveToOuterDisposeScope();                 // (B,)
    }

    /// <summary>
    /// GRPO with process supervision (DeepSeekMath §4.1.3). Every step reward r is normalised by the mean and the
    /// population std (+ ε) of all step rewards in its group; token t of row i gets A_{i,t} = Σ_{j: column(j) ≥ t} r̃_{i,j}.
    /// <paramref name="steps"/>[i] lists row i's step rewards on token columns. Returns float32 (B, T) times
    /// <paramref name="mask"/>. A group with no steps, or with all step rewards equal, gives zeros.
    /// </summary>
    public static Tensor GrpoProcess(IReadOnlyList<IReadOnlyList<TokenReward>> steps, int groupSize, Tensor mask, double epsilon = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (mask.dim() != 2) throw new ArgumentException($"mask must be (B, T); got {mask.dim()} dims.", nameof(mask));
        long B = mask.shape[0], T = mask.shape[1];
        if (steps.Count != B) throw new ArgumentException($"steps has {steps.Count} rows; mask has {B}.", nameof(steps));
        CheckGroupSize(B, groupSize);

        var A = new float[B * T];
        var perToken = new double[T];
        for (int g0 = 0; g0 < B; g0 += groupSize)
        {
            var group = Enumerable.Range(g0, groupSize).SelectMany(i => steps[i]).Select(s => s.Value).ToArray();
            if (group.Length == 0 || group.All(v => v == group[0])) continue;   // no steps or no spread: zero advantage
            double mu = group.Average();
            double sigma = Math.Sqrt(group.Average(v => (v - mu) * (v - mu)));   // population std, as the brief
            for (int i = g0; i < g0 + groupSize; i++)
            {
                Array.Clear(perToken);
                foreach (var s in steps[i])
                {
                    if (s.Column < 0 || s.Column >= T)
                        throw new ArgumentOutOfRangeException(nameof(steps), s.Column, $"Row {i} has a step on column {s.Column}, outside [0, {T}).");
                    perToken[s.Column] += (s.Value - mu) / (sigma + epsilon);
                }
                // A_t = Σ of the normalised rewards at columns ≥ t: a suffix sum.
                double acc = 0;
                for (long t = T - 1; t >= 0; t--)
                {
                    acc += perToken[t];
                    A[i * T + t] = (float)acc;
                }
            }
        }

        using var scope = NewDisposeScope();
        var m = mask.to_type(ScalarType.Float32);
        return (tensor(A, [B, T], device: mask.device) * m).MoveToOuterDisposeScope();   // (B, T)
    }

    /// <summary>
    /// GAE over each row's masked columns in order: δ_t = r_t + γ V_next − V_t, A_t = δ_t + γλ A_next, where "next"
    /// is the next masked column (V_next = 0 after the last); returns = A + V. Inputs and outputs (B, T), both 0 off
    /// the mask; no gradient flows.
    /// </summary>
    public static (Tensor Advantages, Tensor Returns) Gae(Tensor tokenRewards, Tensor values, Tensor mask, double gamma, double lambda)
    {
        if (values.dim() != 2) throw new ArgumentException($"values must be (B, T); got {values.dim()} dims.", nameof(values));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long B = values.shape[0], T = values.shape[1];
        var r = tokenRewards.detach().to_type(values.dtype);
        var V = values.detach();
        var m = mask.to_type(values.dtype);

        // Walk the columns backwards, all rows at once. Off-mask columns pass V_next and A_next through unchanged,
        // so a row's prompt and padding columns are skipped wherever they are.
        var nextV = zeros(B, dtype: values.dtype, device: values.device);
        var nextA = zeros(B, dtype: values.dtype, device: values.device);
        var columns = new Tensor[T];
        for (long t = T - 1; t >= 0; t--)
        {
            var (mt, vt) = (m.select(1, t), V.select(1, t));                  // (B,)
            var delta = r.select(1, t) + gamma * nextV - vt;
            var at = (delta + gamma * lambda * nextA) * mt;                   // 0 off the mask
            columns[t] = at;
            nextV = mt * vt + (1 - mt) * nextV;
            nextA = at + (1 - mt) * nextA;
        }
        var A = stack(columns, 1);                                             // (B, T)
        var returns = (A + V) * m;
        return (A.MoveToOuterDisposeScope(), returns.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// REINFORCE++ with a group baseline: the return to go G_{i,t} = Σ_{s ≥ t} m·r_{i,s} of the token rewards, less
    /// b_i, the mean over row i's group of the rows' total returns Σ_t m·r (G = 1: no baseline), then whitened over
    /// every masked token of the batch. Token rewards and mask (B, T) → float32 (B, T), 0 off the mask.
    /// </summary>
    public static Tensor ReinforcePlusPlus(Tensor tokenRewards, Tensor mask, int groupSize)
    {
        if (tokenRewards.dim() != 2) throw new ArgumentException($"tokenRewards must be (B, T); got {tokenRewards.dim()} dims.", nameof(tokenRewards));
        CheckGroupSize(tokenRewards.shape[0], groupSize);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var m = mask.to_type(ScalarType.Float32);
        var r = tokenRewards.to_type(ScalarType.Float32) * m;                    // (B, T)
        var toGo = r.flip(1).cumsum(1).flip(1);                                 // suffix sums along the row
        var totals = r.sum(1).view(-1, groupSize);                              // (N, G)
        var baseline = groupSize == 1 ? zeros_like(totals) : totals.mean([1], keepdim: true).expand_as(totals);
        return Whiten((toGo - baseline.reshape(-1, 1)) * m, m).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// (x − μ)/√(σ² + 10⁻⁸) with μ and σ² (population) over the masked entries of the whole batch; 0 off the mask.
    /// verl whitens GAE advantages so; REINFORCE++ normalises over the global batch alike.
    /// </summary>
    public static Tensor Whiten(Tensor x, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var n = mask.sum();
        var mean = (x * mask).sum() / n;
        var variance = ((x - mean).square() * mask).sum() / n;
        return ((x - mean) * rsqrt(variance + 1e-8) * mask).MoveToOuterDisposeScope();
    }

    // C(n, k) / C(N, k) = Π_{i<k} (n − i)/(N − i): a ratio of products stays in range where C(N, k) would not,
    // and is 0 when n < k. C(·, 0) = 1.
    private static double ChooseRatio(int n, int N, int k)
    {
        double ratio = 1;
        for (int i = 0; i < k; i++) ratio *= Math.Max(n - i, 0) / (double)(N - i);
        return ratio;
    }

    private static void CheckGroups(Tensor rewards, int groupSize)
    {
        if (rewards.dim() != 1) throw new ArgumentException($"rewards must be (B,); got {rewards.dim()} dims.", nameof(rewards));
        CheckGroupSize(rewards.shape[0], groupSize);
    }

    private static void CheckGroupSize(long rows, int groupSize)
    {
        if (groupSize < 1) throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "groupSize must be at least 1.");
        if (rows % groupSize != 0) throw new ArgumentException($"{rows} rows do not split into groups of {groupSize}.", nameof(groupSize));
    }
}
