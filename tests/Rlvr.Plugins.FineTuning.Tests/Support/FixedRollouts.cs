// Rollout engines for tests. FixedRollouts "samples" fixed completions with fixed rewards, but lays the batch out as
// the host does: BOS, prompt, completion, EOS, padding; the mask on completion and EOS; lp_old from the policy itself.
using Rlvr.Models;
using Rlvr.Rewards;
using Rlvr.Tasks;
using Rlvr.Tokenizers;
using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.Plugins.FineTuning.Tests.Support;

internal sealed class FixedRollouts(ICausalLanguageModel policy, ITokenizer tokenizer, Func<Problem, int, (string Completion, double Reward)> sample) : IRolloutEngine
{
    public int Calls { get; private set; }

    public int MaxNewTokens => policy.ContextLength;
    public double Temperature => 1.0;

    public RolloutBatch Generate(IReadOnlyList<Problem> problems, int groupSize)
    {
        Calls++;
        var rows = problems.SelectMany(p => Enumerable.Range(0, groupSize).Select(g => (Problem: p, Sample: sample(p, g)))).ToList();
        var sequences = rows.Select(r => (Prompt: tokenizer.Encode(r.Problem.Prompt).Length, Ids: TokenBatch.Sequence(tokenizer, r.Problem.Prompt + r.Sample.Completion))).ToList();
        int B = rows.Count, T = sequences.Max(s => s.Ids.Length);

        var ids = new long[B * T];
        var mask = new float[B * T];
        Array.Fill(ids, tokenizer.Pad);
        for (int b = 0; b < B; b++)
        {
            var (prompt, row) = sequences[b];
            for (int t = 0; t < row.Length; t++)
            {
                ids[b * T + t] = row[t];
                mask[b * T + t] = t > prompt ? 1f : 0f;                               // BOS at 0, prompt at 1..P
            }
        }
        var tokens = tensor(ids, [B, T]);
        var completionMask = tensor(mask, [B, T]);
        Tensor sampleLogProbs;
        using (no_grad())
        {
            var logProbs = policy.Forward(tokens).log_softmax(-1);                    // (B, T, V)
            var next = logProbs[.., ..^1].gather(-1, tokens[.., 1..].unsqueeze(-1)).squeeze(-1);   // (B, T-1): column t+1 given ≤ t
            sampleLogProbs = cat([zeros(B, 1), next], 1) * completionMask;
        }

        var rewards = rows.Select(r => new RewardScore(r.Sample.Reward)).ToList();
        return new RolloutBatch(
            problems, groupSize, tokens, completionMask, sampleLogProbs,
            [.. rows.Select(r => r.Sample.Completion)],
            [.. rows.Select(r => new Verification(r.Sample.Reward >= 1.0, []))],
            rewards,
            new Dictionary<string, IReadOnlyList<double>> { ["terminal"] = [.. rewards.Select(r => r.Value)] },
            [.. rows.Select(_ => (IReadOnlyList<TokenReward>)[])],
            [.. rows.Select(_ => false)]);
    }
}

// SFT must never sample.
internal sealed class NoRollouts : IRolloutEngine
{
    public int MaxNewTokens => 0;
    public double Temperature => 1.0;

    public RolloutBatch Generate(IReadOnlyList<Problem> problems, int groupSize) =>
        throw new InvalidOperationException("This algorithm should not sample.");
}
