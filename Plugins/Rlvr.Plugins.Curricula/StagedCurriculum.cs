// "staged": a schedule of difficulty bands by step, as in hand-made curricula that widen the band as training goes
// on. A step is one call of Next; the count of calls is the state, so a resumed run is at the same stage.
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Rlvr.Curricula;
using Rlvr.Tasks;

namespace Rlvr.Plugins.Curricula;

internal sealed class StagedCurriculum(IOptions<StagedOptions> options) : ICurriculum
{
    public const string Name = "staged";
    private const string StepKey = "step";

    private readonly List<Stage> _stages = options.Value.Stages;
    private int _step;   // calls of Next so far: the step the next call draws for

    public IReadOnlyList<Problem> Next(int count, IProblemSource source, Random random)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(random);
        var ranges = DifficultyBands.AllWithin(_stages, source.Difficulties, $"{StagedOptions.Section}:Stages", "{ \"FromStep\": 0, \"Min\": 2, \"Max\": 3 }");
        var band = ranges[Math.Max(0, _stages.FindLastIndex(stage => stage.FromStep <= _step))];   // validation starts stage 0 at step 0

        var problems = new Problem[count];
        for (int i = 0; i < count; i++)
            problems[i] = source.Draw(DifficultyBands.Uniform(band, random), random);
        _step++;
        return problems;
    }

    public void Observe(Problem problem, double score) { }

    public JsonObject SaveState()
    {
        var state = CurriculumState.New(Name);
        state[StepKey] = _step;
        return state;
    }

    public void LoadState(JsonObject state)
    {
        CurriculumState.Check(state, Name);
        _step = CurriculumState.Required(state, StepKey, Name).GetValue<int>();
    }
}
