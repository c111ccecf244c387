// How likely the base finds each arm's correct samples, against its own: if RL only sharpens, an arm's correct
// samples sit where the base already puts high likelihood; a new reasoning path would show as correct samples the
// base finds unlikely. Every seed's samples are scored under that seed's base, each distinct completion once and
// weighted by how often it was sampled. Loading the base needs its model.bin and plugins: when that fails, the
// reason is kept and the rest of the report goes on without this part.
using Rlvr.Host.Runs;

namespace Rlvr.Reporting;

/// <summary>The base's log-likelihood of every arm's correct samples, or why it could not be computed.</summary>
/// <param name="Arms">The base first, then each arm; empty when <paramref name="Missing"/> says why.</param>
public sealed record SupportLikelihood(IReadOnlyList<SupportLikelihood.Samples> Arms, string? Missing)
{
    /// <summary>An arm's correct samples: each distinct completion's log-likelihood under the base (nats) and how often it was sampled.</summary>
    public sealed record Samples(string Arm, IReadOnlyList<double> LogLikelihoods, IReadOnlyList<int> Counts)
    {
        public int Total => Counts.Sum();

        public double Mean => LogLikelihoods.Zip(Counts, (l, c) => l * c).Sum() / Total;

        /// <summary>The sample-weighted quantile <paramref name="q"/>: the smallest value with at least that share of samples at or below it.</summary>
        public double Quantile(double q)
        {
            var sorted = LogLikelihoods.Zip(Counts).OrderBy(p => p.First).ToList();
            double needed = q * Total, seen = 0;
            foreach (var (value, count) in sorted)
                if ((seen += count) >= needed) return value;
            return sorted[^1].First;
        }
    }

    public static SupportLikelihood NotAvailable(string reason) => new([], reason);

    /// <param name="open">Opens the base of one seed for scoring; a failure to open is reported, not thrown.</param>
    public static SupportLikelihood Compute(StudyData study, Func<RunData, BaseLogLikelihood> open)
    {
        var bases = study.Evaluated(RunPaths.BaseArm);
        if (bases.Count == 0) return NotAvailable("no base run has an evaluation");
        var scored = study.Arms.ToDictionary(a => a, _ => (Values: new List<double>(), Counts: new List<int>()));
        foreach (var baseRun in bases)
        {
            BaseLogLikelihood scorer;
            try
            {
                scorer = open(baseRun);
            }
            catch (Exception e)   // whatever stops the base from loading (a missing file, a plugin, a corrupt model) stops only this part
            {
                return NotAvailable($"the base of seed {baseRun.Seed} could not be loaded: {e.Message}");
            }
            using (scorer)
            {
                var runs = study.Arms.Select(arm => study.Evaluated(arm).FirstOrDefault(r => r.Seed == baseRun.Seed)).OfType<RunData>().ToList();
                var samples = runs.ToDictionary(r => r.Arm, r => r.Evaluation!.PerProblem
                    .SelectMany(p => p.CorrectCompletions.Select(c => (Key: (p.Prompt, Completion: c.Key), Count: c.Value))).ToList());
                var distinct = samples.Values.SelectMany(s => s.Select(x => x.Key)).Distinct().ToList();
                var logLikelihood = distinct.Zip(scorer.Score(distinct)).ToDictionary(p => p.First, p => p.Second);
                foreach (var (arm, list) in samples)
                {
                    scored[arm].Values.AddRange(list.Select(x => logLikelihood[x.Key]));
                    scored[arm].Counts.AddRange(list.Select(x => x.Count));
                }
            }
        }
        return new SupportLikelihood([.. study.Arms.Where(a => scored[a].Counts.Count > 0).Select(a => new Samples(a, scored[a].Values, scored[a].Counts))], null);
    }
}
