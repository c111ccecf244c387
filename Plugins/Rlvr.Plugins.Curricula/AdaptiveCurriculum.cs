// "adaptive": the edge-of-competence curriculum of Reasoning Gym (Stojanovski et al. 2025). Every problem is drawn at
// one current difficulty; when the mean score of the last Window problems at that difficulty exceeds Upper the level
// goes up one, below Lower down one, within the task's range, and the window starts afresh at the new level.
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Rlvr.Curricula;
using Rlvr.Tasks;

namespace Rlvr.Plugins.Curricula;

internal sealed class AdaptiveCurriculum(IOptions<AdaptiveOptions> options) : ICurriculum
{
    public const string Name = "adaptive";
    private const string LevelKey = "level", MinKey = "min", MaxKey = "max", WindowKey = "window";

    private readonly AdaptiveOptions _options = options.Value;
    private readonly Queue<double> _window = new();   // scores of the current level, oldest first
    private int? _level;                              // set by the first Next: StartDifficulty, or the source's easiest
    private DifficultyRange _range;                   // the source's difficulties, as the last Next saw them

    public IReadOnlyList<Problem> Next(int count, IProblemSource source, Random random)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(random);
        _range = source.Difficulties;
        _level ??= Start(_range);
        int level = _level.Value;

        var problems = new Problem[count];
        for (int i = 0; i < count; i++)
            problems[i] = source.Draw(level, random);
        return problems;
    }

    // Scores of problems drawn at an earlier level (the rest of a batch observed after a move) say nothing about the
    // current one, so they are left out; so are non-finite scores, which would poison the mean for a whole window.
    public void Observe(Problem problem, double score)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (_level is not { } level || problem.Difficulty != level || !double.IsFinite(score)) return;
        _window.Enqueue(score);
        if (_window.Count > _options.Window) _window.Dequeue();
        if (_window.Count < _options.Window) return;

        double mean = _window.Average();
        int next = Math.Clamp(mean > _options.Upper ? level + 1 : mean < _options.Lower ? level - 1 : level, _range.Min, _range.Max);
        if (next == level) return;
        _level = next;
        _window.Clear();
    }

    public JsonObject SaveState()
    {
        var state = CurriculumState.New(Name);
        state[LevelKey] = _level;
        state[MinKey] = _range.Min;
        state[MaxKey] = _range.Max;
        state[WindowKey] = new JsonArray(_window.Select(score => (JsonNode?)score).ToArray());
        return state;
    }

    public void LoadState(JsonObject state)
    {
        CurriculumState.Check(state, Name);
        _level = state[LevelKey]?.GetValue<int>();
        _range = new(CurriculumState.Required(state, MinKey, Name).GetValue<int>(), CurriculumState.Required(state, MaxKey, Name).GetValue<int>());
        _window.Clear();
        foreach (var score in CurriculumState.Required(state, WindowKey, Name).AsArray())
            _window.Enqueue(score!.GetValue<double>());
    }

    private int Start(DifficultyRange range)
    {
        int start = _options.StartDifficulty == 0 ? range.Min : _options.StartDifficulty;
        return range.Contains(start)
            ? start
            : throw new InvalidOperationException($"{AdaptiveOptions.Section}:StartDifficulty = {start}: must lie within the task's difficulties {range}.");
    }
}
