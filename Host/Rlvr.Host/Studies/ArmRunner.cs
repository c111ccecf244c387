// One arm of a study: start from the base model (or an earlier arm), train it with the arm's algorithm and
// rewards, evaluate it on the base's held-out problems, and compare it with the base.
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rlvr.Curricula;
using Rlvr.Host.Configuration;
using Rlvr.Host.Data;
using Rlvr.Host.Evaluation;
using Rlvr.Host.Logging;
using Rlvr.Host.Plugins;
using Rlvr.Host.Runs;
using Rlvr.Host.Scoring;
using Rlvr.Host.Training;
using Rlvr.Metrics;
using Rlvr.Models;
using Rlvr.Rewards;
using Rlvr.Sampling;
using Rlvr.Tasks;
using Rlvr.Tokenizers;
using Rlvr.Training;
using TorchSharp;

namespace Rlvr.Host.Studies;

/// <summary>What one arm produced.</summary>
public sealed record ArmResult(string Arm, string Algorithm, string RunFolder, TrainSummary Training, EvaluationResult Evaluation, ArmComparison Comparison)
{
    /// <summary>The trained weights.</summary>
    public string ModelPath => Path.Combine(RunFolder, PipelineRunner.ModelFile);
}

/// <summary>Trains and evaluates one arm, with the components and options of the arm's own configuration.</summary>
public sealed class ArmRunner(
    ComponentCatalog catalog,
    IOptions<ComponentSelection> selection,
    IOptions<RunOptions> run,
    IOptions<TrainOptions> train,
    IOptions<RolloutOptions> rollout,
    IOptions<EvaluationOptions> evaluation,
    IConfiguration configuration,
    RunProgress progress,
    ILogger<ArmRunner> logger)
{
    /// <param name="arm">The arm's name, its key under <c>Arms</c>.</param>
    /// <param name="baseline">The base run: held-out problems, weights and evaluation.</param>
    /// <param name="startFrom">The weights to start from (the base's, or an earlier arm's).</param>
    /// <param name="cancellation">Stops training between steps and evaluation between batches; the run's last checkpoint stays, and the next run resumes from it.</param>
    public ArmResult Run(string arm, PipelineResult baseline, string startFrom, CancellationToken cancellation = default)
    {
        var components = selection.Value;
        PipelineRunner.RequireSelected(components);
        if (string.IsNullOrEmpty(components.Algorithm))
            throw new ConfigurationErrorsException($"Arms:{arm}:{ComponentSelection.Section}:Algorithm: required for an arm; name an algorithm (see `rlvr plugins`)");
        string folder = RunPaths.RunFolder(configuration, arm);
        Directory.CreateDirectory(folder);
        // The arm's model depends on its configuration, less the evaluation options other than the held-out count, and
        // on the exact weights it starts from; its evaluation on all of it.
        string start = $"start={AtomicFile.Hash(startFrom)}";
        string[] modelSections = [.. configuration.GetChildren().Select(c => c.Key).Where(k => k != EvaluationOptions.Section), $"{EvaluationOptions.Section}:{nameof(EvaluationOptions.Problems)}"];
        string modelFingerprint = $"{RunFingerprint.Of(configuration, modelSections)}\n{start}";
        string fingerprint = $"{RunFingerprint.Of(configuration)}\n{start}";
        var (record, evaluated) = RunStages.Inspect<ArmRecord>(folder, ArmFile, modelFingerprint, fingerprint, run.Value.Reuse, logger);
        // The configuration this run is now part of, also when it is reused: the keys that differ decide nothing here.
        AtomicFile.WriteAllText(Path.Combine(folder, RunPaths.ConfigFile), ConfigurationJson.Serialize(configuration));
        if (record is not null && evaluated)
        {
            logger.LogInformation("Arm {Arm}: reusing the finished run in {Folder}; its configuration is unchanged and its files verify (set Run:Reuse=false to run it again)", arm, folder);
            var result = JsonSerializer.Deserialize<EvaluationResult>(File.ReadAllText(Path.Combine(folder, PipelineRunner.EvaluationFile)))!;
            return new ArmResult(arm, record.Algorithm, folder, record.Training, result, ArmComparison.Of(baseline.Evaluation, result));
        }

        var checkpoints = new CheckpointStore(folder, logger);
        string? resume = record is null ? RunStages.Resumable(folder, checkpoints, modelFingerprint, ArmTrainer.Stage, ArmTrainer.Describe) : null;
        if (record is not null) RunStages.DropEvaluationMetrics(folder);
        var status = RunStatus.Start(folder, run.Value.Name, arm, run.Value.Seed, record is null ? ArmTrainer.Stage : Evaluator.Stage, fingerprint, logger);
        using var log = new RunLog(folder, logger);
        try
        {
            var result = TrainAndEvaluate(arm, baseline, startFrom, folder, checkpoints, modelFingerprint, fingerprint, record, resume, status, log, cancellation);
            status.Finish(folder);
            return result;
        }
        catch (OperationCanceledException e)
        {
            log.LogWarning("Arm {Arm} stopped before it finished; running it again resumes from its last checkpoint", arm);
            status.Fail(folder, e);
            throw;
        }
        catch (Exception e)
        {
            log.LogError(e, "Arm {Arm} failed; its status.json says at which stage", arm);
            status.Fail(folder, e);
            throw;
        }
    }

    // Trains (resuming from a checkpoint of the same model fingerprint) unless the record holds a verified model, then evaluates.
    private ArmResult TrainAndEvaluate(string arm, PipelineResult baseline, string startFrom, string folder, CheckpointStore checkpoints, string modelFingerprint,
        string fingerprint, ArmRecord? record, string? resume, RunStatus status, ILogger log, CancellationToken cancellation)
    {
        var components = selection.Value;
        int seed = run.Value.ArmSeed;
        torch.manual_seed(seed);

        var task = catalog.Get<IProblemGenerator>(components.Task!);
        var tokenizer = catalog.Get<ITokenizerFactory>(components.Tokenizer!).Create(task.Alphabet);
        var architecture = catalog.Get<IModelArchitecture>(components.Model!);
        using var policy = architecture.Create(tokenizer.VocabularySize, PipelineRunner.ResolveDevice(run.Value.Device), seed);
        var (metrics, sinks) = RunStages.OpenSinks(folder, components.MetricsSinks.Select(catalog.Get<IMetricsSink>));
        using var _ = metrics;
        if (record is null)
        {
            policy.Module.load(startFrom);
            var trained = TrainPolicy(arm, baseline, startFrom, policy, architecture, tokenizer, task, sinks, checkpoints, modelFingerprint, resume, log, cancellation);
            AtomicFile.Write(Path.Combine(folder, PipelineRunner.ModelFile), path => policy.Module.save(path));
            record = new ArmRecord(StageRecord.Seal(modelFingerprint, folder, PipelineRunner.ModelFile), components.Algorithm!, trained, null);
            AtomicFile.WriteAllText(Path.Combine(folder, ArmFile), JsonSerializer.Serialize(record));
            status.Enter(folder, Evaluator.Stage);
        }
        else
        {
            log.LogInformation("Arm {Arm}: reusing the trained model {Model}: its configuration is unchanged and it verifies", arm, Path.Combine(folder, PipelineRunner.ModelFile));
            policy.Module.load(Path.Combine(folder, PipelineRunner.ModelFile));
        }

        var evaluated = new Evaluator(evaluation.Value, log, p => progress.Report(p with { Run = $"{arm}/{RunPaths.RunFolderName(run.Value.Seed, run.Value.RlSeed)}" }))
            .Evaluate(policy, tokenizer, catalog.Get<IVerifier>(components.Verifier!), baseline.HeldOut, seed, cancellation);
        PipelineRunner.Record(evaluated, folder, sinks, record.Training.Steps);
        AtomicFile.WriteAllText(Path.Combine(folder, ArmFile), JsonSerializer.Serialize(record with { Evaluation = StageRecord.Seal(fingerprint, folder, PipelineRunner.EvaluationFile) }));
        return new ArmResult(arm, record.Algorithm, folder, record.Training, evaluated, ArmComparison.Of(baseline.Evaluation, evaluated));
    }

    private TrainSummary TrainPolicy(string arm, PipelineResult baseline, string startFrom, ICausalLanguageModel policy, IModelArchitecture architecture,
        ITokenizer tokenizer, IProblemGenerator task, IReadOnlyList<IMetricsSink> sinks, CheckpointStore checkpoints, string fingerprint, string? resume,
        ILogger log, CancellationToken cancellation)
    {
        var components = selection.Value;
        int seed = run.Value.ArmSeed;

        // A curriculum chooses its own difficulties, up to the task's hardest; without one, the arm's band bounds them.
        var band = components.Curriculum is null ? Band(task.Difficulties) : task.Difficulties;
        int maxNewTokens = MaxNewTokens(policy, tokenizer, task, band, baseline.HeldOut, run.Value.Seed);
        var rewardNames = components.Rewards.Count > 0 ? components.Rewards : ["terminal"];
        var scorer = new Scorer(catalog.Get<IVerifier>(components.Verifier!),
            rewardNames.Select(n => new WeightedReward(n, catalog.Get<IReward>(n), RewardWeight(n, train.Value, rollout.Value))).ToList(), log);
        if (train.Value.Control == TrainOptions.ZeroReward)
            log.LogInformation("Arm {Arm} is a no-learning control (Train:Control={Control}): every reward is scored 0", arm, TrainOptions.ZeroReward);
        var curriculum = components.Curriculum is { } c ? catalog.Get<ICurriculum>(c) : null;
        var sampler = new BatchedSampler(new SamplingOptions
        {
            Temperature = rollout.Value.Temperature, TopP = rollout.Value.TopP, MaxNewTokens = maxNewTokens, Seed = seed * 1_000_003L + 11,
        });
        var problems = new TrainingProblems(ProblemSets.Training(task, baseline.HeldOut), band, curriculum, seed + 101L);
        var context = new TrainingContext(policy, architecture, tokenizer, problems,
            new RolloutEngine(policy, tokenizer, scorer, rewardNames, sampler, curriculum), train.Value.Steps, seed, log);

        log.LogInformation("Arm {Arm}: {Algorithm} for {Steps} steps on {Problems}, rewards {Rewards}, up to {MaxNewTokens} new tokens, from {Start}",
            arm, components.Algorithm, train.Value.Steps, curriculum is null ? $"difficulties {band}" : $"the '{components.Curriculum}' curriculum",
            string.Join(" + ", rewardNames), maxNewTokens, startFrom);
        var trained = new ArmTrainer(train.Value, log, sinks, p => progress.Report(p with { Run = $"{arm}/{RunPaths.RunFolderName(run.Value.Seed, run.Value.RlSeed)}" })).Train(catalog.Get<IAlgorithm>(components.Algorithm!), context, checkpoints, fingerprint, resume, cancellation);
        if (scorer.Failures > 0) log.LogWarning("Arm {Arm}: {Failures} verifier or reward failures were scored 0", arm, scorer.Failures);
        return trained;
    }

    /// <summary>The weight of a reward component: as configured (1 when not), 0 for every component of a zero-reward control arm.</summary>
    internal static double RewardWeight(string reward, TrainOptions train, RolloutOptions rollout) =>
        train.Control == TrainOptions.ZeroReward ? 0.0 : rollout.RewardWeights.GetValueOrDefault(reward, 1.0);

    /// <summary>The arm's record: its trained model, then its evaluation, each with its fingerprint and file seals; written as each finishes.</summary>
    public const string ArmFile = "arm.json";

    private sealed record ArmRecord(StageRecord? Model, string Algorithm, TrainSummary Training, StageRecord? Evaluation) : IStagedRecord;

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
