// One run of the pipeline, top to bottom: resolve components, build the tokenizer from the task's alphabet, draw
// the held-out set, pretrain from scratch (or resume, or reuse a verified model), evaluate pass@k. Every file goes
// into the run folder.
using Rlvr.Training;
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
using Rlvr.Host.Pretraining;
using Rlvr.Metrics;
using Rlvr.Models;
using Rlvr.Tasks;
using Rlvr.Tokenizers;
using TorchSharp;

namespace Rlvr.Host.Runs;

/// <summary>What a pipeline run produced.</summary>
public sealed record PipelineResult(string RunFolder, PretrainSummary Pretraining, EvaluationResult Evaluation, IReadOnlyList<Problem> HeldOut)
{
    /// <summary>The pretrained weights.</summary>
    public string ModelPath => Path.Combine(RunFolder, PipelineRunner.ModelFile);
}

/// <summary>Runs pretraining then evaluation for the configured components, on the calling thread.</summary>
public sealed class PipelineRunner(
    ComponentCatalog catalog,
    IOptions<ComponentSelection> selection,
    IOptions<RunOptions> run,
    IOptions<PretrainOptions> pretrain,
    IOptions<EvaluationOptions> evaluation,
    IConfiguration configuration,
    RunProgress progress,
    ILogger<PipelineRunner> logger)
{
    public const string ModelFile = "model.bin", EvaluationFile = "evaluation.json", BaseFile = "base.json";

    /// <summary>
    /// The base's second evaluation (Evaluation:NoiseFloor): the same model and problems, another sampling seed. How far
    /// it lies from evaluation.json is the noise floor an arm's effect must exceed. Part of the evaluation stage.
    /// </summary>
    public const string ReplicateFile = "evaluation.replicate.json";

    /// <summary>The sampling seed of the replicate evaluation: far from any run seed, so that its samples are independent of the first evaluation's.</summary>
    public static long ReplicateSeed(int seed) => seed + 1_000_003L;

    // The sections that decide the pretrained model (the held-out count too: training never draws a held-out problem);
    // arms, training, rollout and the other evaluation options do not.
    private static readonly string[] s_modelSections = ["Components:Model", "Components:Tokenizer", "Components:Task",
        "Models", "Tokenizers", "Tasks", "Run", "Pretrain", "Evaluation:Problems"];

    // The sections that decide an evaluation, beside those that decide the model.
    private static readonly string[] s_evaluationSections = ["Components:Verifier", "Verifiers", "Evaluation"];

    /// <param name="cancellation">Stops pretraining between steps and evaluation between batches; the next run resumes from the last checkpoint.</param>
    public PipelineResult Run(CancellationToken cancellation = default)
    {
        var components = selection.Value;
        RequireSelected(components);
        string folder = RunPaths.RunFolder(configuration);
        Directory.CreateDirectory(folder);
        string[] modelSections = components.PretrainCurriculum is null ? s_modelSections : [.. s_modelSections, "Components:PretrainCurriculum", "Curricula"];
        string modelFingerprint = RunFingerprint.Of(configuration, modelSections);
        string fingerprint = RunFingerprint.Of(configuration, [.. modelSections, .. s_evaluationSections]);
        var (record, evaluated) = RunStages.Inspect<BaseRecord>(folder, BaseFile, modelFingerprint, fingerprint, run.Value.Reuse, logger);
        if (evaluated && evaluation.Value.NoiseFloor && !record!.Evaluation!.Files.ContainsKey(ReplicateFile))
        {
            logger.LogInformation("{Folder} has no replicate evaluation (Evaluation:NoiseFloor): evaluating its verified model again, with the replicate", folder);
            evaluated = false;
        }
        // The configuration this run is now part of, also when it is reused: the keys that differ decide nothing here.
        AtomicFile.WriteAllText(Path.Combine(folder, RunPaths.ConfigFile), ConfigurationJson.Serialize(configuration));
        if (record is not null && evaluated)
        {
            logger.LogInformation("Reusing the base run in {Folder}: its configuration is unchanged and its files verify (set Run:Reuse=false to pretrain again)", folder);
            var task = catalog.Get<IProblemGenerator>(selection.Value.Task!);
            return new PipelineResult(folder, record.Pretraining, JsonSerializer.Deserialize<EvaluationResult>(File.ReadAllText(Path.Combine(folder, EvaluationFile)))!,
                ProblemSets.HeldOut(task, task.Difficulties, evaluation.Value.Problems, run.Value.Seed));
        }
        var status = RunStatus.Start(folder, run.Value.Name, RunPaths.BaseArm, run.Value.Seed, record is null ? Pretrainer.Stage : Evaluator.Stage, fingerprint, logger);
        using var log = new RunLog(folder, logger);
        try
        {
            var result = PretrainAndEvaluate(folder, modelFingerprint, fingerprint, record, status, log, cancellation);
            status.Finish(folder);
            return result;
        }
        catch (OperationCanceledException e)
        {
            log.LogWarning("The base run stopped before it finished; running it again resumes from its last checkpoint");
            status.Fail(folder, e);
            throw;
        }
        catch (Exception e)
        {
            log.LogError(e, "The base run failed; its status.json says at which stage");
            status.Fail(folder, e);
            throw;
        }
    }

    // Pretrains (resuming from a checkpoint of the same model fingerprint) unless the record holds a verified model, then evaluates.
    private PipelineResult PretrainAndEvaluate(string folder, string modelFingerprint, string fingerprint, BaseRecord? record, RunStatus status,
        ILogger log, CancellationToken cancellation)
    {
        var components = selection.Value;
        var device = ResolveDevice(run.Value.Device);
        if (run.Value.Threads > 0) torch.set_num_threads(run.Value.Threads);
        torch.manual_seed(run.Value.Seed);
        int seed = run.Value.Seed;
        log.LogInformation("Run {Folder} on {Device} with {Threads} threads, seed {Seed}", folder, device.type, torch.get_num_threads(), seed);

        var task = catalog.Get<IProblemGenerator>(components.Task!);
        var verifier = catalog.Get<IVerifier>(components.Verifier!);
        var tokenizer = catalog.Get<ITokenizerFactory>(components.Tokenizer!).Create(task.Alphabet);
        AtomicFile.Write(Path.Combine(folder, "tokenizer.json"), tokenizer.Save);

        var heldOut = ProblemSets.HeldOut(task, task.Difficulties, evaluation.Value.Problems, seed);
        var training = ProblemSets.Training(task, heldOut);
        using var model = catalog.Get<IModelArchitecture>(components.Model!).Create(tokenizer.VocabularySize, device, seed);

        var checkpoints = new CheckpointStore(folder, log);
        string? resume = record is null ? RunStages.Resumable(folder, checkpoints, modelFingerprint, Pretrainer.Stage, Pretrainer.Describe) : null;
        if (record is not null) RunStages.DropEvaluationMetrics(folder);
        var (metrics, sinks) = RunStages.OpenSinks(folder, components.MetricsSinks.Select(catalog.Get<IMetricsSink>));
        using var _ = metrics;

        if (record is null)
        {
            var pretrained = new Pretrainer(pretrain.Value, log, sinks, p => progress.Report(p with { Run = $"{RunPaths.BaseArm}/seed-{seed}" })).Train(model, tokenizer, task, training, new Random(seed),
                components.PretrainCurriculum is { } mix ? catalog.Get<ICurriculum>(mix) : null, checkpoints, modelFingerprint, resume, cancellation);
            AtomicFile.Write(Path.Combine(folder, ModelFile), path => model.Module.save(path));
            log.LogInformation("Pretrained {Steps} steps, {Tokens:N0} tokens in {Elapsed:F0} s ({Rate:N0} tok/s); loss {First:F3} -> {Final:F3}",
                pretrained.Steps, pretrained.Tokens, pretrained.Elapsed.TotalSeconds, pretrained.TokensPerSecond, pretrained.FirstLoss, pretrained.FinalLoss);
            record = new BaseRecord(StageRecord.Seal(modelFingerprint, folder, ModelFile), pretrained, null);
            AtomicFile.WriteAllText(Path.Combine(folder, BaseFile), JsonSerializer.Serialize(record));
            status.Enter(folder, Evaluator.Stage);
        }
        else
        {
            log.LogInformation("Reusing the pretrained model {Model}: its configuration is unchanged and it verifies", Path.Combine(folder, ModelFile));
            model.Module.load(Path.Combine(folder, ModelFile));
            model.Module.eval();
        }

        var evaluator = new Evaluator(evaluation.Value, log, p => progress.Report(p with { Run = $"{RunPaths.BaseArm}/seed-{seed}" }));
        var evaluated = evaluator.Evaluate(model, tokenizer, verifier, heldOut, seed, cancellation);
        Record(evaluated, folder, sinks, record.Pretraining.Steps);
        string[] files = [EvaluationFile];
        if (evaluation.Value.NoiseFloor)
        {
            log.LogInformation("Evaluating the base again with sampling seed {Seed}: the noise floor", ReplicateSeed(seed));
            Write(evaluator.Evaluate(model, tokenizer, verifier, heldOut, ReplicateSeed(seed), cancellation), Path.Combine(folder, ReplicateFile));
            files = [EvaluationFile, ReplicateFile];
        }
        AtomicFile.WriteAllText(Path.Combine(folder, BaseFile), JsonSerializer.Serialize(record with { Evaluation = StageRecord.Seal(fingerprint, folder, files) }));
        return new PipelineResult(folder, record.Pretraining, evaluated, heldOut);
    }

    /// <summary>base.json: the pretrained model and its evaluation, each with its fingerprint and file seals; written as each finishes.</summary>
    private sealed record BaseRecord(StageRecord? Model, PretrainSummary Pretraining, StageRecord? Evaluation) : IStagedRecord;

    /// <summary>Writes an evaluation to <c>evaluation.json</c> in <paramref name="folder"/> and its headline numbers to the sinks.</summary>
    /// <param name="step">The last step of the stage that made the model evaluated, so that TensorBoard draws the evaluation where training ended.</param>
    internal static void Record(EvaluationResult evaluated, string folder, IEnumerable<IMetricsSink> sinks, long step)
    {
        Write(evaluated, Path.Combine(folder, EvaluationFile));
        foreach (var sink in sinks)
            sink.Emit(new MetricsRecord(RunStages.EvaluationMetrics, step, new Dictionary<string, double>
            {
                ["pass@1"] = evaluated.PassAtK[0].Answer.Mean, [$"pass@{evaluated.Samples}"] = evaluated.PassAtK[^1].Answer.Mean,
                ["coverage"] = evaluated.Coverage, ["step_verified_accuracy"] = evaluated.StepVerifiedAccuracy, ["samples_per_s"] = evaluated.SamplesPerSecond,
            }, DateTimeOffset.UtcNow));
    }

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    private static void Write(EvaluationResult evaluated, string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(evaluated, s_indented));

    internal static void RequireSelected(ComponentSelection components)
    {
        var missing = new[] { (nameof(components.Model), components.Model), (nameof(components.Tokenizer), components.Tokenizer),
                              (nameof(components.Task), components.Task), (nameof(components.Verifier), components.Verifier) }
            .Where(c => string.IsNullOrEmpty(c.Item2)).Select(c => $"{ComponentSelection.Section}:{c.Item1}: required to run; name a component (see `rlvr plugins`)").ToList();
        if (missing.Count > 0) throw new ConfigurationErrorsException(missing);
    }

    internal static torch.Device ResolveDevice(string device) => device switch
    {
        "cpu" => torch.CPU,
        "cuda" => torch.cuda.is_available() ? torch.CUDA : throw new ConfigurationErrorsException("Run:Device = 'cuda': CUDA is not available; build with -p:TorchBackend=cuda-linux and run on a GPU machine, or use 'auto'."),
        _ => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
    };
}
