// One run of the pipeline, top to bottom: resolve components, build the tokenizer from the task's alphabet, draw
// the held-out set, pretrain from scratch, evaluate pass@k. Every file goes into the run folder.
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
using Rlvr.Host.Metrics;
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

    // The sections that decide what the base model is; arms, training and rollout options do not.
    private static readonly string[] s_baseSections = ["Components:Model", "Components:Tokenizer", "Components:Task", "Components:Verifier",
        "Models", "Tokenizers", "Tasks", "Verifiers", "Run", "Pretrain", "Evaluation"];

    public PipelineResult Run()
    {
        var components = selection.Value;
        RequireSelected(components);
        string folder = RunPaths.RunFolder(configuration);
        Directory.CreateDirectory(folder);
        string fingerprint = RunFingerprint.Of(configuration, components.PretrainCurriculum is null ? s_baseSections : [.. s_baseSections, "Components:PretrainCurriculum", "Curricula"]);
        if (run.Value.Reuse && Reuse(folder, fingerprint) is { } reused) return reused;
        AtomicFile.WriteAllText(Path.Combine(folder, RunPaths.ConfigFile), ConfigurationJson.Serialize(configuration));
        var status = RunStatus.Start(folder, run.Value.Name, RunPaths.BaseArm, run.Value.Seed, Pretrainer.Stage, fingerprint, logger);
        using var log = new RunLog(folder, logger);
        try
        {
            var result = PretrainAndEvaluate(folder, fingerprint, status, log);
            status.Finish(folder);
            return result;
        }
        catch (Exception e)
        {
            log.LogError(e, "The base run failed; its status.json says at which stage");
            status.Fail(folder, e);
            throw;
        }
    }

    private PipelineResult PretrainAndEvaluate(string folder, string fingerprint, RunStatus status, ILogger log)
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

        using var metrics = new JsonlMetricsSink(Path.Combine(folder, RunPaths.MetricsFile));
        var sinks = new List<IMetricsSink> { metrics, new TensorBoardMetricsSink(Path.Combine(folder, TensorBoardMetricsSink.Folder)) };
        sinks.AddRange(components.MetricsSinks.Select(catalog.Get<IMetricsSink>));

        var pretrained = new Pretrainer(pretrain.Value, log, sinks, p => progress.Report(p with { Run = $"{RunPaths.BaseArm}/seed-{seed}" })).Train(model, tokenizer, task, training, new Random(seed),
            components.PretrainCurriculum is { } mix ? catalog.Get<ICurriculum>(mix) : null);
        AtomicFile.Write(Path.Combine(folder, ModelFile), path => model.Module.save(path));
        log.LogInformation("Pretrained {Steps} steps, {Tokens:N0} tokens in {Elapsed:F0} s ({Rate:N0} tok/s); loss {First:F3} -> {Final:F3}",
            pretrained.Steps, pretrained.Tokens, pretrained.Elapsed.TotalSeconds, pretrained.TokensPerSecond, pretrained.FirstLoss, pretrained.FinalLoss);

        status.Enter(folder, Evaluator.Stage);
        var evaluated = new Evaluator(evaluation.Value, log, p => progress.Report(p with { Run = $"{RunPaths.BaseArm}/seed-{seed}" })).Evaluate(model, tokenizer, verifier, heldOut, seed);
        Record(evaluated, folder, sinks);
        AtomicFile.WriteAllText(Path.Combine(folder, BaseFile), JsonSerializer.Serialize(new BaseRecord(fingerprint, pretrained)));
        return new PipelineResult(folder, pretrained, evaluated, heldOut);
    }

    private sealed record BaseRecord(string Configuration, PretrainSummary Pretraining);

    // A finished base run (base.json is written last) with the same configuration is kept: arms can be added or
    // changed without pretraining again. The held-out set is drawn again; it depends only on the task and seed.
    private PipelineResult? Reuse(string folder, string fingerprint)
    {
        string record = Path.Combine(folder, BaseFile), model = Path.Combine(folder, ModelFile), evaluated = Path.Combine(folder, EvaluationFile);
        if (!File.Exists(record) || !File.Exists(model) || !File.Exists(evaluated)) return null;
        try
        {
            var previous = JsonSerializer.Deserialize<BaseRecord>(File.ReadAllText(record));
            if (previous is null || previous.Configuration != fingerprint) return null;
            var result = JsonSerializer.Deserialize<EvaluationResult>(File.ReadAllText(evaluated))!;
            var task = catalog.Get<IProblemGenerator>(selection.Value.Task!);
            logger.LogInformation("Reusing the base run in {Folder}: its configuration is unchanged (set Run:Reuse=false to pretrain again)", folder);
            return new PipelineResult(folder, previous.Pretraining, result, ProblemSets.HeldOut(task, task.Difficulties, evaluation.Value.Problems, run.Value.Seed));
        }
        catch (JsonException e)
        {
            logger.LogWarning(e, "The base run in {Folder} is unreadable; pretraining again", folder);
            return null;
        }
    }

    /// <summary>Writes an evaluation to <c>evaluation.json</c> in <paramref name="folder"/> and its headline numbers to the sinks.</summary>
    internal static void Record(EvaluationResult evaluated, string folder, IEnumerable<IMetricsSink> sinks)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, EvaluationFile), JsonSerializer.Serialize(evaluated, new JsonSerializerOptions { WriteIndented = true }));
        foreach (var sink in sinks)
            sink.Emit(new MetricsRecord("eval", 1, new Dictionary<string, double>
            {
                ["pass@1"] = evaluated.PassAtK[0].Answer.Mean, [$"pass@{evaluated.Samples}"] = evaluated.PassAtK[^1].Answer.Mean,
                ["coverage"] = evaluated.Coverage, ["step_verified_accuracy"] = evaluated.StepVerifiedAccuracy, ["samples_per_s"] = evaluated.SamplesPerSecond,
            }, DateTimeOffset.UtcNow));
    }

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
