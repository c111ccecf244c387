// What is particular to one kind of run, the base or an arm: where its record goes, how its model is produced, what
// it is evaluated on and what it returns. RunLifecycle does everything the kinds share.
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Rlvr.Host.Evaluation;
using Rlvr.Metrics;
using Rlvr.Models;
using Rlvr.Tasks;

namespace Rlvr.Host.Runs;

/// <summary>One kind of run, for <see cref="RunLifecycle.Run"/>.</summary>
/// <typeparam name="TRecord">The run's record.</typeparam>
/// <typeparam name="TResult">What the run returns, computed or reused.</typeparam>
public abstract class RunPlan<TRecord, TResult> where TRecord : class, IStagedRecord<TRecord>
{
    /// <summary>The run's arm (<see cref="RunPaths.BaseArm"/> for the base): its folder in the study, its name in status.json.</summary>
    public abstract string Arm { get; }

    /// <summary>The run in log lines: "The base run", "Arm grpo".</summary>
    public abstract string Title { get; }

    /// <summary>The record's file name in the run folder.</summary>
    public abstract string RecordFile { get; }

    /// <summary>The stage that produces the model, as status.json and metrics.jsonl name it.</summary>
    public abstract string ModelStage { get; }

    /// <summary>Seeds torch, the fresh model and the evaluation's sampling.</summary>
    public abstract int Seed { get; }

    /// <summary>The configuration the model depends on (<see cref="RunFingerprint"/>).</summary>
    public abstract string ModelFingerprint { get; }

    /// <summary>The configuration the evaluation depends on: the model's and more.</summary>
    public abstract string Fingerprint { get; }

    /// <summary>A checkpoint's step and model fingerprint, or null when it is not one of this stage.</summary>
    public abstract (int Step, string Fingerprint)? DescribeCheckpoint(string checkpoint);

    /// <summary>Says that the finished run in <paramref name="folder"/> is reused.</summary>
    public abstract void LogReused(ILogger logger, string folder);

    /// <summary>Says that the verified model <paramref name="model"/> is reused, and evaluated again.</summary>
    public abstract void LogModelReused(ILogger logger, string model);

    /// <summary>Whether a verified evaluation is all the run needs; false evaluates the model again. Logs why not.</summary>
    public virtual bool Complete(TRecord record, string folder, ILogger logger) => true;

    /// <summary>The problems the model is evaluated on, which training never draws.</summary>
    public abstract IReadOnlyList<Problem> HeldOut(RunComponents components);

    /// <summary>
    /// Trains <see cref="RunContext.Model"/> from its fresh initialisation, from <paramref name="resume"/> when it is a
    /// checkpoint; returns the record of the model's stage, not yet sealed.
    /// </summary>
    public abstract TRecord Produce(RunContext run, string? resume, CancellationToken cancellation);

    /// <summary>Evaluations beside <c>evaluation.json</c>, sealed with it as one stage; their file names.</summary>
    public virtual IReadOnlyList<string> EvaluateMore(RunContext run, Evaluator evaluator, CancellationToken cancellation) => [];

    /// <summary>What the run returns.</summary>
    public abstract TResult Result(string folder, TRecord record, EvaluationResult evaluation, IReadOnlyList<Problem> heldOut);
}

/// <summary>What a run's stages work with, made by the lifecycle for one computation of the run.</summary>
/// <param name="Folder">The run folder.</param>
/// <param name="Components">The run's components.</param>
/// <param name="Model">The model: fresh before <see cref="RunPlan{TRecord, TResult}.Produce"/>, trained or loaded before evaluation.</param>
/// <param name="HeldOut">The problems the model is evaluated on.</param>
/// <param name="Sinks">The run's open metrics sinks.</param>
/// <param name="Checkpoints">The run's checkpoints.</param>
/// <param name="Log">The run's log: the study's logger and the run folder's own log file.</param>
/// <param name="Progress">Takes each step of a stage, for the progress display.</param>
public sealed record RunContext(string Folder, RunComponents Components, ICausalLanguageModel Model, IReadOnlyList<Problem> HeldOut,
    IReadOnlyList<IMetricsSink> Sinks, CheckpointStore Checkpoints, ILogger Log, Action<StageProgress> Progress)
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    /// <summary>Writes <paramref name="evaluation"/> to <paramref name="file"/> in the run folder, atomically.</summary>
    public void WriteEvaluation(EvaluationResult evaluation, string file) =>
        AtomicFile.WriteAllText(Path.Combine(Folder, file), JsonSerializer.Serialize(evaluation, s_indented));
}
