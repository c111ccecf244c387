// One arm of a study: start from the base model (or an earlier arm), train it with the arm's algorithm and
// rewards, evaluate it on the base's held-out problems, and compare it with the base.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rlvr.Curricula;
using Rlvr.Host.Configuration;
using Rlvr.Host.Data;
using Rlvr.Host.Evaluation;
using Rlvr.Host.Plugins;
using Rlvr.Host.Runs;
using Rlvr.Host.Scoring;
using Rlvr.Host.Training;
using Rlvr.Models;
using Rlvr.Rewards;
using Rlvr.Sampling;
using Rlvr.Tasks;
using Rlvr.Tokenizers;
using Rlvr.Training;

namespace Rlvr.Host.Studies;

/// <summary>What one arm produced.</summary>
public sealed record ArmResult(string Arm, string Algorithm, string RunFolder, TrainSummary Training, EvaluationResult Evaluation, ArmComparison Comparison)
{
    /// <summary>The trained weights.</summary>
    public string ModelPath => Path.Combine(RunFolder, RunPaths.ModelFile);
}

/// <summary>Trains and evaluates one arm, with the components and options of the arm's own configuration.</summary>
public sealed class ArmRunner(
    RunLifecycle lifecycle,
    ComponentCatalog catalog,
    IOptions<ComponentSelection> selection,
    IOptions<RunOptions> run,
    IOptions<TrainOptions> train,
    IOptions<RolloutOptions> rollout,
    IConfiguration configuration)
{
    /// <param name="arm">The arm's name, its key under <c>Arms</c>.</param>
    /// <param name="baseline">The base run: held-out problems, weights and evaluation.</param>
    /// <param name="startFrom">The weights to start from (the base's, or an earlier arm's).</param>
    /// <param name="cancellation">Stops training between steps and evaluation between batches; the run's last checkpoint stays, and the next run resumes from it.</param>
    public ArmResult Run(string arm, PipelineResult baseline, string startFrom, CancellationToken cancellation = default)
    {
        if (string.IsNullOrEmpty(selection.Value.Algorithm))
            throw new ConfigurationErrorsException($"Arms:{arm}:{ComponentSelection.Section}:Algorithm: required for an arm; name an algorithm (see `rlvr plugins`)");
        return lifecycle.Run(new ArmPlan(this, arm, selection.Value.Algorithm, baseline, startFrom, run.Value.ArmSeed, configuration), cancellation);
    }

    /// <summary>The arm's record: its trained model, then its evaluation, each with its fingerprint and file seals; written as each finishes.</summary>
    public const string ArmFile = "arm.json";

    private sealed record ArmRecord(StageRecord? Model, string Algorithm, TrainSummary Training, StageRecord? Evaluation) : IStagedRecord<ArmRecord>
    {
        [System.Text.Json.Serialization.JsonIgnore] public long Steps => Training.Steps;

        public ArmRecord WithModel(StageRecord model) => this with { Model = model };

        public ArmRecord WithEvaluation(StageRecord evaluation) => this with { Evaluation = evaluation };
    }

    private sealed class ArmPlan : RunPlan<ArmRecord, ArmResult>
    {
        private readonly ArmRunner _runner;
        private readonly string _algorithm;
        private readonly PipelineResult _baseline;
        private readonly string _startFrom;

        public ArmPlan(ArmRunner runner, string arm, string algorithm, PipelineResult baseline, string startFrom, int seed, IConfiguration configuration)
        {
            (_runner, Arm, _algorithm, _baseline, _startFrom, Seed) = (runner, arm, algorithm, baseline, startFrom, seed);
            // The arm's model depends on its configuration, less the evaluation options other than the held-out count, and
            // on the exact weights it starts from; its evaluation on all of it.
            string start = $"start={AtomicFile.Hash(startFrom)}";
            string[] modelSections = [.. configuration.GetChildren().Select(c => c.Key).Where(k => k != EvaluationOptions.Section), $"{EvaluationOptions.Section}:{nameof(EvaluationOptions.Problems)}"];
            ModelFingerprint = $"{RunFingerprint.Of(configuration, modelSections)}\n{start}";
            Fingerprint = $"{RunFingerprint.Of(configuration)}\n{start}";
        }

        public override string Arm { get; }
        public override string Title => $"Arm {Arm}";
        public override string RecordFile => ArmFile;
        public override string ModelStage => ArmTrainer.Stage;
        public override int Seed { get; }
        public override string ModelFingerprint { get; }
        public override string Fingerprint { get; }

        public override (int Step, string Fingerprint)? DescribeCheckpoint(string checkpoint) => ArmTrainer.Describe(checkpoint);

        public override void LogReused(ILogger logger, string folder) =>
            logger.LogInformation("Arm {Arm}: reusing the finished run in {Folder}; its configuration is unchanged and its files verify (set Run:Reuse=false to run it again)", Arm, folder);

        public override void LogModelReused(ILogger logger, string model) =>
            logger.LogInformation("Arm {Arm}: reusing the trained model {Model}: its configuration is unchanged and it verifies", Arm, model);

        public override IReadOnlyList<Problem> HeldOut(RunComponents components) => _baseline.HeldOut;

        public override ArmRecord Produce(RunContext run, string? resume, CancellationToken cancellation)
        {
            run.Model.Module.load(_startFrom);
            return new ArmRecord(null, _algorithm, _runner.TrainPolicy(Arm, _startFrom, run, ModelFingerprint, resume, cancellation), null);
        }

        public override ArmResult Result(string folder, ArmRecord record, EvaluationResult evaluation, IReadOnlyList<Problem> heldOut) =>
            new(Arm, record.Algorithm, folder, record.Training, evaluation, ArmComparison.Of(_baseline.Evaluation, evaluation));
    }

    private TrainSummary TrainPolicy(string arm, string startFrom, RunContext runContext, string fingerprint, string? resume, CancellationToken cancellation)
    {
        var components = selection.Value;
        var (policy, task, tokenizer, log) = (runContext.Model, runContext.Components.Task, runContext.Components.Tokenizer, runContext.Log);
        int seed = run.Value.ArmSeed;

        // A curriculum chooses its own difficulties, up to the task's hardest; without one, the arm's band bounds them.
        var band = components.Curriculum is null ? Band(task.Difficulties) : task.Difficulties;
        int maxNewTokens = MaxNewTokens(policy, tokenizer, task, band, runContext.HeldOut, run.Value.Seed);
        var rewardNames = components.Rewards.Count > 0 ? components.Rewards : ["terminal"];
        var scorer = new Scorer(runContext.Components.Verifier,
            rewardNames.Select(n => new WeightedReward(n, catalog.Get<IReward>(n), RewardWeight(n, train.Value, rollout.Value))).ToList(), log);
        if (train.Value.Control == TrainOptions.ZeroReward)
            log.LogInformation("Arm {Arm} is a no-learning control (Train:Control={Control}): every reward is scored 0", arm, TrainOptions.ZeroReward);
        var curriculum = components.Curriculum is { } c ? catalog.Get<ICurriculum>(c) : null;
        var sampler = new BatchedSampler(new SamplingOptions
        {
            Temperature = rollout.Value.Temperature, TopP = rollout.Value.TopP, MaxNewTokens = maxNewTokens, Seed = seed * 1_000_003L + 11,
        });
        var problems = new TrainingProblems(ProblemSets.Training(task, runContext.HeldOut), band, curriculum, seed + 101L);
        var context = new TrainingContext(policy, runContext.Components.Architecture, tokenizer, problems,
            new RolloutEngine(policy, tokenizer, scorer, rewardNames, sampler, curriculum, runContext.Components.Tools), train.Value.Steps, seed, log)
        {
            Tool = runContext.Components.Tool,
        };

        log.LogInformation("Arm {Arm}: {Algorithm} for {Steps} steps on {Problems}, rewards {Rewards}, up to {MaxNewTokens} new tokens, from {Start}",
            arm, components.Algorithm, train.Value.Steps, curriculum is null ? $"difficulties {band}" : $"the '{components.Curriculum}' curriculum",
            string.Join(" + ", rewardNames), maxNewTokens, startFrom);
        var trained = new ArmTrainer(train.Value, log, runContext.Sinks, runContext.Progress).Train(catalog.Get<IAlgorithm>(components.Algorithm!), context, runContext.Checkpoints, fingerprint, resume, cancellation);
        if (scorer.Failures > 0) log.LogWarning("Arm {Arm}: {Failures} verifier or reward failures were scored 0", arm, scorer.Failures);
        return trained;
    }

    /// <summary>The weight of a reward component: as configured (1 when not), 0 for every component of a zero-reward control arm.</summary>
    internal static double RewardWeight(string reward, TrainOptions train, RolloutOptions rollout) =>
        train.Control == TrainOptions.ZeroReward ? 0.0 : rollout.RewardWeights.GetValueOrDefault(reward, 1.0);

    // Validation refuses a band outside the task before any compute; this holds for a runner used on its own.
    private DifficultyRange Band(DifficultyRange task) =>
        train.Value.BandErrors(task) is { Count: > 0 } errors ? throw new ConfigurationErrorsException(errors) : train.Value.Band(task);

    // Without a configured budget, a completion may use whatever the context leaves after the longest prompt.
    private int MaxNewTokens(ICausalLanguageModel policy, ITokenizer tokenizer, IProblemGenerator task, DifficultyRange band, IReadOnlyList<Problem> heldOut, int seed)
    {
        var (budget, error) = rollout.Value.Budget(policy.ContextLength, RolloutOptions.LongestPrompt(tokenizer, task, band, heldOut, seed));
        return error is null ? budget : throw new ConfigurationErrorsException(error);
    }
}
