// A study as read from runs/<study>/: the base (arm "base") and the trained arms, each with its seeds.
using Rlvr.Host.Runs;
using Rlvr.Host.Statistics;

namespace Rlvr.Reporting;

/// <summary>Every run folder of a study.</summary>
public sealed record StudyData(string Name, string Folder, IReadOnlyList<RunData> Runs)
{
    /// <summary>The base first, then the arms by name.</summary>
    public IReadOnlyList<string> Arms { get; } = Runs.Select(r => r.Arm).Distinct()
        .OrderBy(a => a == RunPaths.BaseArm ? 0 : 1).ThenBy(a => a, StringComparer.Ordinal).ToList();

    /// <summary>The arms other than the base.</summary>
    public IReadOnlyList<string> TrainedArms => [.. Arms.Where(a => a != RunPaths.BaseArm)];

    /// <summary>The runs of <paramref name="arm"/> that have an evaluation, by seed, then RL seed.</summary>
    public IReadOnlyList<RunData> Evaluated(string arm) => [.. Runs.Where(r => r.Arm == arm && r.Evaluation is not null).OrderBy(r => r.Seed).ThenBy(r => r.RlSeed)];

    /// <summary>The runs that have no evaluation yet: still running, or stopped.</summary>
    public IReadOnlyList<RunData> Unevaluated => [.. Runs.Where(r => r.Evaluation is null)];

    /// <summary>
    /// Each evaluated run of <paramref name="arm"/> (one a seed, or one a seed and RL seed) beside the evaluated base of
    /// the same seed, the model it started from.
    /// </summary>
    public IReadOnlyList<SeedPair> Pairs(string arm) =>
        [.. from a in Evaluated(arm)
            join b in Evaluated(RunPaths.BaseArm) on a.Seed equals b.Seed
            select new SeedPair(a.Seed, b.Evaluation!, a.Evaluation!, a.RlSeed)];

    /// <summary>What a seed-level claim about <paramref name="arm"/> covers (see <see cref="SeedUnits.Describe"/>).</summary>
    public string Design(string arm) => SeedUnits.Describe([.. Pairs(arm).Select(p => (p.Seed, p.RlSeed))]);

    /// <summary>Whether any arm run has an RL seed: the study ran RlSeeds.</summary>
    public bool HasRlSeeds => Runs.Any(r => r.RlSeed is not null);

    /// <summary>Each evaluated base seed with its replicate evaluation (the noise floor), as a pair: the replicate in the arm's place.</summary>
    public IReadOnlyList<SeedPair> NoiseFloorPairs() =>
        [.. Evaluated(RunPaths.BaseArm).Where(b => b.Replicate is not null).Select(b => new SeedPair(b.Seed, b.Evaluation!, b.Replicate!))];
}
