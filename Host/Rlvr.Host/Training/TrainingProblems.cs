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

    public IReadOnlyList<Problem> Next(int count)
    {
        var random = SeedStream.Random(seed, _calls++);
        return curriculum is not null
            ? curriculum.Next(count, source, random)
            : Enumerable.Range(0, count).Select(_ => source.Draw(random.Next(band.Min, band.Max + 1), random)).ToArray();
    }

    public string CheckpointKey => "problems";

    public JsonNode SaveState() => new JsonObject { ["calls"] = _calls, ["curriculum"] = curriculum?.SaveState() };

    public void LoadState(JsonNode state)
    {
        _calls = state["calls"]!.GetValue<long>();
        if (curriculum is not null && state["curriculum"] is JsonObject saved) curriculum.LoadState(saved);
    }
}
