// "sft": supervised fine-tuning, teacher-forced on the task's clean worked solutions with the loss on completion
// tokens only (docs/algorithms.md). Each step draws fresh problems from the curriculum; nothing is sampled.
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rlvr.Training;

namespace Rlvr.FineTuning;

internal sealed class SftAlgorithm(IOptions<SftOptions> options) : IAlgorithm
{
    public const string Name = "sft";

    public ITrainingSession Begin(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = options.Value;
        context.Logger.LogInformation("SFT: {Problems} worked solutions a step, lr {Lr:G3} (warm-up {Warmup}), {Steps} steps",
            o.ProblemsPerStep, o.LearningRate, o.WarmupSteps, context.TotalSteps);
        return new Session(context, o);
    }

    private sealed class Session(TrainingContext context, SftOptions options) : ITrainingSession
    {
        private readonly TeacherForcedTrainer _trainer = new(context, options, Name, SftOptions.Section);

        public IReadOnlyDictionary<string, double> Step()
        {
            long started = Stopwatch.GetTimestamp();
            var problems = context.Problems.Next(options.ProblemsPerStep);
            return _trainer.Step([.. problems.Select(p => (p.Prompt, p.Solution))], started);
        }

        public void Save(string folder) => _trainer.Save(folder);

        public void Load(string folder) => _trainer.Load(folder);

        public void Dispose() => _trainer.Dispose();
    }
}
