// One seed of an arm beside the base of the same seed: the base is the model that seed of the arm started from. With
// RlSeeds a base seed has one pair per RL seed, each its own run from the same base.
using Rlvr.Host.Evaluation;
using Rlvr.Host.Runs;

namespace Rlvr.Reporting;

/// <summary>An arm's evaluation and its base's, for one seed and RL seed (null without RlSeeds).</summary>
public sealed record SeedPair(int Seed, EvaluationResult Base, EvaluationResult Arm, int? RlSeed = null)
{
    /// <summary>The pair's name in a table: its seed, "1", or with its RL seed, "1-rl-2".</summary>
    public string Label => LabelOf(Seed, RlSeed);

    /// <inheritdoc cref="Label"/>
    public static string LabelOf(int seed, int? rlSeed) => rlSeed is int rl ? $"{seed}{RunPaths.RlSeedInfix}{rl}" : $"{seed}";

    /// <summary>The smaller n of the two: every comparison of the pair is made at this n.</summary>
    public int Samples => Math.Min(Base.Samples, Arm.Samples);

    /// <summary>The problems both evaluated, matched by id, in the base's order.</summary>
    public IReadOnlyList<(ProblemResult Base, ProblemResult Arm)> Matched { get; } = Match(Base, Arm);

    private static List<(ProblemResult Base, ProblemResult Arm)> Match(EvaluationResult baseline, EvaluationResult arm)
    {
        var armById = arm.PerProblem.ToDictionary(r => r.Id);
        return [.. baseline.PerProblem.Where(r => armById.ContainsKey(r.Id)).Select(r => (r, armById[r.Id]))];
    }
}
