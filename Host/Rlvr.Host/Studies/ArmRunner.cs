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
using Rlvr.Host.Metrics;
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
    /// <param name="cancellation">Stops training between steps; the run's last checkpoint stays, and the next run resumes from it.</param>
    public ArmResult Run(string arm, PipelineResult baseline, string startFrom, CancellationToken cancellation = default)
    {
        var components = selection.Value;
        PipelineRunner.RequireSelected(components);
        if (string.IsNullOrEmpty(components.Algorithm))
            throw new ConfigurationErrorsException($"Arms:{arm}:{ComponentSelection.Section}:Algorithm: required for an arm; name an algorithm (see `rlvr plugins`)");
        string folder = RunPaths.RunFolder(configuration, arm);
        Directory.CreateDirectory(folder);
        // The arm's numbers depend on its configuration and on the exact weights it starts from.
        string fingerprint = $"{RunFingerprint.Of(configuration)}\nstart={AtomicFile.Hash(startFrom)}";
        if (run.Value.Reuse && Finished(arm, folder, fingerprint, baseline) is { } finished) return finished;

        var checkpoints = new CheckpointStore(folder, logger);
        string metricsPath = Path.Combine(folder, RunPaths.MetricsFile);
        var latest = checkpoints.Latest();
        var saved = latest is { } l ? ArmTrainer.Describe(l.Folder) : null;
        string? resume = saved?.Fingerprint == fingerprint ? latest!.Value.Folder : null;
        if (resume is null)
        {
            checkpoints.Clear();
            File.Delete(metricsPath);
            File.Delete(Path.Combine(folder, ArmFile));
            if (Directory.Exists(Path.Combine(folder, TensorBoardMetricsSink.Folder))) Directory.Delete(Path.Combine(folder, TensorBoardMetricsSink.Folder), recursive: true);
        }
        else
        {
            int step = saved!.Value.Step;
            JsonlMetricsSink.Truncate(metricsPath, (stage, at) => stage == ArmTrainer.Stage && at <= step);
        }
        AtomicFile.WriteAllText(Path.Combine(folder, RunPaths.ConfigFile), ConfigurationJson.Serialize(configuration));
        var status = RunStatus.Start(folder, run.Value.Name, arm, run.Value.Seed, ArmTrainer.Stage, fingerprint, logger);
        using var log = new RunLog(folder, logger);
        try
        {
            var result = Train(arm, baseline, startFrom, folder, checkpoints, fingerprint, resume, status, log, cancellation);
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

    private ArmResult Train(string arm, PipelineResult baseline, string startFrom, string folder, CheckpointStore checkpoints, string fingerprint,
        string? resume, RunStatus status, ILogger log, CancellationToken cancellation)
    {
        var components = selection.Value;
        int seed = run.Value.Seed;
        torch.manual_seed(seed);

        var task = catalog.Get<IProblemGenerator>(components.Task!);
        var tokenizer = catalog.Get<ITokenizerFactory>(components.Tokenizer!).Create(task.Alphabet);
        var architecture = catalog.Get<IModelArchitecture>(components.Model!);
        using var policy = architecture.Create(tokenizer.VocabularySize, PipelineRunner.ResolveDevice(run.Value.Device), seed);
        policy.Module.load(startFrom);

        // A curriculum chooses its own difficulties, up to the task's hardest; without one, the arm's band bounds them.
        var band = components.Curriculum is null ? Band(task.Difficulties) : task.Difficulties;
        int maxNewTokens = MaxNewTokens(policy, tokenizer, task, band, baseline.HeldOut, seed);
        var rewardNames = components.Rewards.Count > 0 ? components.Rewards : ["terminal"];
        var scorer = new Scorer(catalog.Get<IVerifier>(components.Verifier!),
            rewardNames.Select(n => new WeightedReward(n, catalog.Get<IReward>(n), rollout.Value.RewardWeights.GetValueOrDefault(n, 1.0))).ToList(), log);
        var curriculum = components.Curriculum is { } c ? catalog.Get<ICurriculum>(c) : null;
        var sampler = new BatchedSampler(new SamplingOptions
        {
            Temperature = rollout.Value.Temperature, TopP = rollout.Value.TopP, MaxNewTokens = maxNewTokens, Seed = seed * 1_000_003L + 11,
        });
        var problems = new TrainingProblems(ProblemSets.Training(task, baseline.HeldOut), band, curriculum, seed + 101L);
        var context = new TrainingContext(policy, architecture, tokenizer, problems,
            new RolloutEngine(policy, tokenizer, scorer, rewardNames, sampler, curriculum), train.Value.Steps, seed, log);

        using var metrics = new JsonlMetricsSink(Path.Combine(folder, RunPaths.MetricsFile));
        var sinks = new List<IMetricsSink> { metrics, new TensorBoardMetricsSink(Path.Combine(folder, TensorBoardMetricsSink.Folder)) };
        sinks.AddRange(components.MetricsSinks.Select(catalog.Get<IMetricsSink>));
        log.LogInformation("Arm {Arm}: {Algorithm} for {Steps} steps on {Problems}, rewards {Rewards}, up to {MaxNewTokens} new tokens, from {Start}",
            arm, components.Algorithm, train.Value.Steps, curriculum is null ? $"difficulties {band}" : $"the '{components.Curriculum}' curriculum",
            string.Join(" + ", rewardNames), maxNewTokens, startFrom);
        var trained = new ArmTrainer(train.Value, log, sinks, p => progress.Report(p with { Run = $"{arm}/seed-{seed}" })).Train(catalog.Get<IAlgorithm>(components.Algorithm!), context, checkpoints, fingerprint, resume, cancellation);
        AtomicFile.Write(Path.Combine(folder, PipelineRunner.ModelFile), path => policy.Module.save(path));
        if (scorer.Failures > 0) log.LogWarning("Arm {Arm}: {Failures} verifier or reward failures were scored 0", arm, scorer.Failures);

        status.Enter(folder, Evaluator.Stage);
        var evaluated = new Evaluator(evaluation.Value, log, p => progress.Report(p with { Run = $"{arm}/seed-{seed}" })).Evaluate(policy, tokenizer, catalog.Get<IVerifier>(components.Verifier!), baseline.HeldOut, seed);
        PipelineRunner.Record(evaluated, folder, sinks);
        AtomicFile.WriteAllText(Path.Combine(folder, ArmFile), JsonSerializer.Serialize(new ArmRecord(fingerprint, components.Algorithm!, trained)));
        return new ArmResult(arm, components.Algorithm!, folder, trained, evaluated, ArmComparison.Of(baseline.Evaluation, evaluated));
    }

    /// <summary>Written last in a finished arm's folder: what it was run with, and how training went.</summary>
    public const string ArmFile = "arm.json";

    private sealed record ArmRecord(string Configuration, string Algorithm, TrainSummary Training);

    // A finished arm (arm.json written last) of the same configuration and start is kept as it is.
    private ArmResult? Finished(string arm, string folder, string fingerprint, PipelineResult baseline)
    {
        string record = Path.Combine(folder, ArmFile), evaluated = Path.Combine(folder, PipelineRunner.EvaluationFile);
        if (!File.Exists(record) || !File.Exists(evaluated) || !File.Exists(Path.Combine(folder, PipelineRunner.ModelFile))) return null;
        try
        {
            var previous = JsonSerializer.Deserialize<ArmRecord>(File.ReadAllText(record));
            if (previous is null || previous.Configuration != fingerprint) return null;
            var result = JsonSerializer.Deserialize<EvaluationResult>(File.ReadAllText(evaluated))!;
            logger.LogInformation("Arm {Arm}: reusing the finished run in {Folder}; its configuration is unchanged (set Run:Reuse=false to run it again)", arm, folder);
            return new ArmResult(arm, previous.Algorithm, folder, previous.Training, result, ArmComparison.Of(baseline.Evaluation, result));
        }
        catch (JsonException e)
        {
            logger.LogWarning(e, "Arm {Arm}: the finished run in {Folder} is unreadable; running it again", arm, folder);
            return null;
        }
    }

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
