using System.Text.Json.Nodes;
using Rlvr.Curricula;
using Rlvr.Tasks;
using Rlvr.Training;

namespace Rlvr.Host.Training;

/// <summary>
/// Training problems for an algorithm: the curriculum's choice when the study names one, otherwise difficulties drawn
/// uniformly from the arm's band. Each call draws from its own counter-seeded generator, and never a held-out problem
/// (the source excludes them).
/// </summary>
public sealed class TrainingProblems(IProblemSource source, DifficultyRange band, ICurriculum? curriculum, long seed) : ITrainingProblems, ICheckpointable
{
    private long _calls;
    private readonly List<int> _difficulties = [];   // under a curriculum, of the problems handed out since the last TakeDifficultyMean

    public IReadOnlyList<Problem> Next(int count)
    {
        var random = SeedStream.Random(seed, _calls++);
        var problems = curriculum is not null
            ? curriculum.Next(count, source, random)
            : Enumerable.Range(0, count).Select(_ => source.Draw(random.Next(band.Min, band.Max + 1), random)).ToArray();
        if (curriculum is not null) _difficulties.AddRange(problems.Select(p => p.Difficulty));
        return problems;
    }

    /// <summary>
    /// Under a curriculum, the mean difficulty of the problems handed out since the last call, forgetting them: what a
    /// step trained at. NaN without a curriculum (the difficulties are drawn from a fixed band) or when none were handed out.
    /// </summary>
    public double TakeDifficultyMean()
    {
        double mean = _difficulties.Count == 0 ? double.NaN : _difficulties.Average();
        _difficulties.Clear();
        return mean;
    }

    public string CheckpointKey => "problems";

    public JsonNode SaveState() => new JsonObject { ["calls"] = _calls, ["curriculum"] = curriculum?.SaveState() };

    public void LoadState(JsonNode state)
    {
        _calls = state["calls"]!.GetValue<long>();
        if (curriculum is not null && state["curriculum"] is JsonObject saved) curriculum.LoadState(saved);
    }
}
