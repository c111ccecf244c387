// "mixture": a fixed mixture of difficulty bands. Each problem picks a band with probability proportional to its
// weight, then a difficulty uniformly inside the band. It learns nothing, so its state is only its name.
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Rlvr.Curricula;
using Rlvr.Tasks;

namespace Rlvr.Plugins.Curricula;

internal sealed class MixtureCurriculum(IOptions<MixtureOptions> options) : ICurriculum
{
    public const string Name = "mixture";

    private readonly IReadOnlyList<MixtureBand> _bands = options.Value.Bands;

    public IReadOnlyList<Problem> Next(int count, IProblemSource source, Random random)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(random);
        var ranges = DifficultyBands.AllWithin(_bands, source.Difficulties, $"{MixtureOptions.Section}:Bands", "{ \"Min\": 2, \"Max\": 3, \"Weight\": 1 }");
        var weights = _bands.Select(band => band.Weight).ToArray();
        double total = weights.Sum();

        var problems = new Problem[count];
        for (int i = 0; i < count; i++)
        {
            var band = ranges[WeightedChoice.Index(weights, total, random)];
            problems[i] = source.Draw(DifficultyBands.Uniform(band, random), random);
        }
        return problems;
    }

    public void Observe(Problem problem, double score) { }

    public JsonObject SaveState() => CurriculumState.New(Name);

    public void LoadState(JsonObject state) => CurriculumState.Check(state, Name);
}
