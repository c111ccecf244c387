// One problem of the success-rate pool and its estimated success rate p, with their form in a checkpoint.
using System.Text.Json;
using System.Text.Json.Nodes;
using Rlvr.Tasks;

namespace Rlvr.Plugins.Curricula;

internal sealed class PooledProblem(Problem problem, double success, int observations)
{
    private const string ProblemKey = "problem", SuccessKey = "success", ObservationsKey = "observations";

    public Problem Problem { get; } = problem;
    public double Success { get; private set; } = success;          // p: a moving average of the scores, from the prior
    public int Observations { get; private set; } = observations;   // scores seen; 0 means p is still the prior

    /// <summary>How much this problem is worth drawing now: p(1 − p), largest at p = 0.5, plus a floor so none starves.</summary>
    public double Weight(double floor) => Success * (1 - Success) + floor;

    /// <summary>Moves p towards <paramref name="score"/>: p ← decay·p + (1 − decay)·score.</summary>
    public void Observe(double score, double decay)
    {
        Success = decay * Success + (1 - decay) * score;
        Observations++;
    }

    public JsonObject ToJson() => new()
    {
        [ProblemKey] = JsonSerializer.SerializeToNode(Problem),
        [SuccessKey] = Success,
        [ObservationsKey] = Observations,
    };

    /// <exception cref="InvalidDataException">A key is missing.</exception>
    public static PooledProblem FromJson(JsonNode node)
    {
        JsonNode Required(string key) => node[key] ?? throw new InvalidDataException($"A pooled problem in the checkpoint has no '{key}'.");
        return new(Required(ProblemKey).Deserialize<Problem>()!, Required(SuccessKey).GetValue<double>(), Required(ObservationsKey).GetValue<int>());
    }
}
