// "success-rate": sampling by learnability, as in "Learning to Reason at the Frontier of Learnability" (Foster and
// Foerster 2025). A pool of training problems, each with a moving-average success rate p from its observed scores,
// is drawn with probability proportional to p(1 − p) + Floor: problems the model solves about half the time carry
// the most signal for a group-relative gradient, while solved (p = 1) and hopeless (p = 0) ones keep only the floor.
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Rlvr.Curricula;
using Rlvr.Tasks;

namespace Rlvr.Plugins.Curricula;

internal sealed class SuccessRateCurriculum(IOptions<SuccessRateOptions> options) : ICurriculum
{
    public const string Name = "success-rate";
    private const string CallsKey = "calls", PoolKey = "pool";
    private const int MaxRedraws = 100;   // draws for one problem not yet pooled, before the task counts as exhausted

    private readonly SuccessRateOptions _options = options.Value;
    private readonly List<PooledProblem> _pool = [];                 // in draw order: the order weights are laid out in
    private readonly Dictionary<string, PooledProblem> _byId = [];   // Observe finds a problem by its id
    private int _calls;                                              // calls of Next so far; refreshes are counted in them

    public IReadOnlyList<Problem> Next(int count, IProblemSource source, Random random)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(random);
        var band = Band(source.Difficulties);
        if (_pool.Count == 0) Fill(band, source, random);
        else if (_options.RefreshEvery > 0 && _calls % _options.RefreshEvery == 0) Refresh(band, source, random);
        _calls++;

        var weights = _pool.Select(pooled => pooled.Weight(_options.Floor)).ToArray();
        double total = weights.Sum();
        var problems = new Problem[count];
        for (int i = 0; i < count; i++)   // with replacement: each draw independent, as the probabilities say
            problems[i] = _pool[WeightedChoice.Index(weights, total, random)].Problem;
        return problems;
    }

    // A success rate lies in 0..1, so a reward outside it counts as 0 or 1; a non-finite one, or a problem no longer
    // in the pool, teaches nothing.
    public void Observe(Problem problem, double score)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (double.IsFinite(score) && _byId.TryGetValue(problem.Id, out var pooled))
            pooled.Observe(Math.Clamp(score, 0.0, 1.0), _options.Decay);
    }

    public JsonObject SaveState()
    {
        var state = CurriculumState.New(Name);
        state[CallsKey] = _calls;
        state[PoolKey] = new JsonArray(_pool.Select(pooled => (JsonNode?)pooled.ToJson()).ToArray());
        return state;
    }

    public void LoadState(JsonObject state)
    {
        CurriculumState.Check(state, Name);
        _calls = CurriculumState.Required(state, CallsKey, Name).GetValue<int>();
        _pool.Clear();
        _byId.Clear();
        foreach (var node in CurriculumState.Required(state, PoolKey, Name).AsArray())
            Add(PooledProblem.FromJson(node!));
    }

    private DifficultyRange Band(DifficultyRange source) => DifficultyBands.Within(
        new(_options.MinDifficulty > 0 ? _options.MinDifficulty : source.Min, _options.MaxDifficulty > 0 ? _options.MaxDifficulty : source.Max),
        source, $"{SuccessRateOptions.Section}:MinDifficulty/MaxDifficulty");

    // A task with fewer distinct problems in the band than PoolSize gives a smaller pool.
    private void Fill(DifficultyRange band, IProblemSource source, Random random)
    {
        while (_pool.Count < _options.PoolSize && DrawNew(band, source, random) is { } fresh)
            Add(fresh);
    }

    // The least learnable share (lowest weight; the earlier in the pool among equals) makes way for fresh problems.
    // The fresh ones are drawn before any stale one leaves, so a problem just dropped cannot come straight back.
    private void Refresh(DifficultyRange band, IProblemSource source, Random random)
    {
        int share = (int)Math.Ceiling(_options.RefreshShare * _pool.Count);
        var stale = Enumerable.Range(0, _pool.Count).OrderBy(i => _pool[i].Weight(_options.Floor)).Take(share);
        var replacements = new List<(int Index, PooledProblem Fresh)>();
        foreach (int i in stale)
        {
            if (DrawNew(band, source, random) is not { } fresh) break;
            _byId.Add(fresh.Problem.Id, fresh);
            replacements.Add((i, fresh));
        }
        foreach (var (i, fresh) in replacements)
        {
            _byId.Remove(_pool[i].Problem.Id);
            _pool[i] = fresh;
        }
    }

    private PooledProblem? DrawNew(DifficultyRange band, IProblemSource source, Random random)
    {
        for (int attempt = 0; attempt < MaxRedraws; attempt++)
        {
            var problem = source.Draw(DifficultyBands.Uniform(band, random), random);
            if (!_byId.ContainsKey(problem.Id)) return new PooledProblem(problem, _options.Prior, observations: 0);
        }
        return null;
    }

    private void Add(PooledProblem pooled)
    {
        _pool.Add(pooled);
        _byId.Add(pooled.Problem.Id, pooled);
    }
}
