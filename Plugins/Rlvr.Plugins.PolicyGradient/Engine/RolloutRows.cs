// Row surgery on rollout batches, for DAPO's dynamic sampling: keep some groups of several batches and join them.
using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.PolicyGradient;

internal static class RolloutRows
{
    /// <summary>The groups whose <paramref name="rewards"/> (one per row, groups of <paramref name="groupSize"/> rows) are not all equal: their GRPO advantage is not zero.</summary>
    public static IReadOnlyList<int> InformativeGroups(IReadOnlyList<double> rewards, int groupSize) =>
        Enumerable.Range(0, rewards.Count / groupSize)
            .Where(g => Enumerable.Range(g * groupSize, groupSize).Select(i => rewards[i]).Distinct().Count() > 1)
            .ToList();

    /// <summary>Joins the chosen groups of several batches into one, padding columns with <paramref name="pad"/>.</summary>
    public static RolloutBatch Join(IReadOnlyList<(RolloutBatch Batch, IReadOnlyList<int> Groups)> parts, long pad)
    {
        int G = parts[0].Batch.GroupSize;
        long T = parts.Max(p => p.Batch.Tokens.shape[1]);
        var rows = parts.Select(p => p.Groups.SelectMany(g => Enumerable.Range(g * G, G)).ToArray()).ToList();

        Tensor Stack(Func<RolloutBatch, Tensor> column, double fill) => cat(parts.Select((p, i) =>
        {
            var picked = column(p.Batch).index_select(0, tensor(rows[i].Select(r => (long)r).ToArray(), device: p.Batch.Tokens.device));
            return nn.functional.pad(picked, [0, T - picked.shape[1]], value: fill);
        }).ToArray(), 0);

        IReadOnlyList<T1> Pick<T1>(Func<RolloutBatch, IReadOnlyList<T1>> list) =>
            parts.SelectMany((p, i) => rows[i].Select(r => list(p.Batch)[r])).ToList();

        var functions = parts[0].Batch.RewardsByFunction.Keys;
        return new RolloutBatch(
            parts.SelectMany(p => p.Groups.Select(g => p.Batch.Problems[g])).ToList(), G,
            Stack(b => b.Tokens, pad), Stack(b => b.CompletionMask, 0), Stack(b => b.SampleLogProbs, 0),
            Pick(b => b.Completions), Pick(b => b.Verifications), Pick(b => b.Rewards),
            functions.ToDictionary(f => f, f => Pick(b => b.RewardsByFunction[f])),
            Pick(b => b.StepRewards), Pick(b => b.Truncated))
        {
            SamplingSeconds = parts.Sum(p => p.Batch.SamplingSeconds),
            ScoringSeconds = parts.Sum(p => p.Batch.ScoringSeconds),
        };
    }
}
