// The lifecycle every run folder goes through, the base's and each arm's alike. Inspect the folder against the run's
// fingerprints (reuse, resume, or move a finished run of another configuration aside) and write config.json. A
// finished run that verifies is reused. Otherwise, under status.json and the run's own log: produce the model (or
// load the verified one), seal it, evaluate it, seal the evaluation. A stop or a failure is written to status.json
// and thrown on; the next run resumes from the last checkpoint.
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rlvr.Host.Configuration;
using Rlvr.Host.Evaluation;
using Rlvr.Host.Logging;
using Rlvr.Host.Metrics;
using Rlvr.Host.Plugins;
using Rlvr.Metrics;
using TorchSharp;

namespace Rlvr.Host.Runs;

/// <summary>Runs one <see cref="RunPlan{TRecord, TResult}"/> in its run folder, on the calling thread.</summary>
public sealed class RunLifecycle(
    RunComposer composer,
    ComponentCatalog catalog,
    IOptions<ComponentSelection> selection,
    IOptions<RunOptions> run,
    IOptions<EvaluationOptions> evaluation,
    IConfiguration configuration,
    RunProgress progress,
    IEnumerable<IRunStatusListener> statusListeners,
    ILogger<RunLifecycle> logger)
{
    /// <param name="cancellation">Stops training between steps and evaluation between batches; the run's last checkpoint stays, and the next run resumes from it.</param>
    /// <exception cref="ConfigurationErrorsException">The run's components cannot be composed.</exception>
    public TResult Run<TRecord, TResult>(RunPlan<TRecord, TResult> plan, CancellationToken cancellation = default) where TRecord : class, IStagedRecord<TRecord>
    {
        var components = composer.Compose();
        string folder = RunPaths.RunFolder(configuration, plan.Arm);
        Directory.CreateDirectory(folder);
        var (record, evaluated) = RunStages.Inspect<TRecord>(folder, plan.RecordFile, plan.ModelFingerprint, plan.Fingerprint, run.Value.Reuse, logger);
        if (record is not null && evaluated && !plan.Complete(record, folder, logger)) evaluated = false;
        // The configuration this run is now part of, also when it is reused: the keys that differ decide nothing here.
        AtomicFile.WriteAllText(Path.Combine(folder, RunPaths.ConfigFile), ConfigurationJson.Serialize(configuration));
        if (record is not null && evaluated)
        {
            plan.LogReused(logger, folder);
            var result = JsonSerializer.Deserialize<EvaluationResult>(File.ReadAllText(Path.Combine(folder, RunPaths.EvaluationFile)))!;
            return plan.Result(folder, record, result, plan.HeldOut(components));
        }
        var status = RunStatus.Start(folder, run.Value.Name, plan.Arm, run.Value.Seed, record is null ? plan.ModelStage : Evaluator.Stage, plan.Fingerprint, [.. statusListeners]);
        using var log = new RunLog(folder, logger);
        try
        {
            var result = ProduceAndEvaluate(plan, components, folder, record, status, log, cancellation);
            status.Finish(folder);
            return result;
        }
        catch (OperationCanceledException e)
        {
            log.LogWarning("{Run:l} stopped before it finished; running it again resumes from its last checkpoint", plan.Title);
            status.Fail(folder, e);
            throw;
        }
        catch (Exception e)
        {
            log.LogError(e, "{Run:l} failed; its status.json says at which stage", plan.Title);
            status.Fail(folder, e);
            throw;
        }
    }

    // Produces the model (resuming from a checkpoint of the same model fingerprint) unless the record holds a verified one, then evaluates it.
    private TResult ProduceAndEvaluate<TRecord, TResult>(RunPlan<TRecord, TResult> plan, RunComponents components, string folder, TRecord? record,
        RunStatus status, ILogger log, CancellationToken cancellation) where TRecord : class, IStagedRecord<TRecord>
    {
        if (run.Value.Threads > 0) torch.set_num_threads(run.Value.Threads);
        torch.manual_seed(plan.Seed);
        log.LogInformation("Run {Folder} on {Device} with {Threads} threads, seed {Seed}", folder, components.Device.type, torch.get_num_threads(), plan.Seed);

        var checkpoints = new CheckpointStore(folder, log);
        string? resume = record is null ? RunStages.Resumable(folder, checkpoints, plan.ModelFingerprint, plan.ModelStage, plan.DescribeCheckpoint) : null;
        if (record is not null) RunStages.DropEvaluationMetrics(folder);
        var heldOut = plan.HeldOut(components);
        using var model = components.NewModel(plan.Seed);
        var kept = JsonlMetricsSink.Read(Path.Combine(folder, RunPaths.MetricsFile)).ToList();
        using var metrics = RunMetrics.Open(catalog, selection.Value.MetricsSinks,
            new MetricsRun(folder, run.Value.Name, plan.Arm, run.Value.Seed, plan.Arm == RunPaths.BaseArm ? null : run.Value.RlSeed, kept));
        var context = new RunContext(folder, components, model, heldOut, metrics.Sinks, checkpoints, log,
            p => progress.Report(p with { Run = $"{plan.Arm}/{Path.GetFileName(folder)}" }));

        string modelPath = Path.Combine(folder, RunPaths.ModelFile), recordPath = Path.Combine(folder, plan.RecordFile);
        if (record is null)
        {
            var produced = plan.Produce(context, resume, cancellation);
            AtomicFile.Write(modelPath, path => model.Module.save(path));
            record = produced.WithModel(StageRecord.Seal(plan.ModelFingerprint, folder, RunPaths.ModelFile));
            AtomicFile.WriteAllText(recordPath, JsonSerializer.Serialize(record));
            status.Enter(folder, Evaluator.Stage);
        }
        else
        {
            plan.LogModelReused(log, modelPath);
            model.Module.load(modelPath);
            model.Module.eval();
        }

        var evaluator = new Evaluator(evaluation.Value, log, context.Progress);
        var evaluated = evaluator.Evaluate(model, components.Tokenizer, components.Verifier, heldOut, plan.Seed, cancellation, components.Tools);
        context.WriteEvaluation(evaluated, RunPaths.EvaluationFile);
        Emit(evaluated, metrics.Sinks, record.Steps);
        string[] files = [RunPaths.EvaluationFile, .. plan.EvaluateMore(context, evaluator, cancellation)];
        AtomicFile.WriteAllText(recordPath, JsonSerializer.Serialize(record.WithEvaluation(StageRecord.Seal(plan.Fingerprint, folder, files))));
        return plan.Result(folder, record, evaluated, heldOut);
    }

    // The evaluation's headline numbers, at the last step of the stage that made the model, so that TensorBoard draws them where training ended.
    private static void Emit(EvaluationResult evaluated, IEnumerable<IMetricsSink> sinks, long step)
    {
        foreach (var sink in sinks)
            sink.Emit(new MetricsRecord(RunStages.EvaluationMetrics, step, new Dictionary<string, double>
            {
                ["pass@1"] = evaluated.PassAtK[0].Answer.Mean, [$"pass@{evaluated.Samples}"] = evaluated.PassAtK[^1].Answer.Mean,
                ["coverage"] = evaluated.Coverage, ["step_verified_accuracy"] = evaluated.StepVerifiedAccuracy, ["samples_per_s"] = evaluated.SamplesPerSecond,
            }, DateTimeOffset.UtcNow));
    }
}
