// The base run: draw the held-out set, pretrain from scratch or from another base's verified model (Pretrain:From),
// or resume, or reuse a verified model; evaluate pass@k, and again with another sampling seed for the noise floor.
// RunLifecycle does the rest; every file goes into the run folder.
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rlvr.Curricula;
using Rlvr.Host.Configuration;
using Rlvr.Host.Data;
using Rlvr.Host.Evaluation;
using Rlvr.Host.Plugins;
using Rlvr.Host.Pretraining;
using Rlvr.Host.Studies;
using Rlvr.Tasks;

namespace Rlvr.Host.Runs;

/// <summary>What a pipeline run produced.</summary>
public sealed record PipelineResult(string RunFolder, PretrainSummary Pretraining, EvaluationResult Evaluation, IReadOnlyList<Problem> HeldOut)
{
    /// <summary>The pretrained weights.</summary>
    public string ModelPath => Path.Combine(RunFolder, RunPaths.ModelFile);
}

/// <summary>Runs pretraining then evaluation for the configured components, on the calling thread.</summary>
public sealed class PipelineRunner(
    RunLifecycle lifecycle,
    ComponentCatalog catalog,
    IOptions<ComponentSelection> selection,
    IOptions<RunOptions> run,
    IOptions<PretrainOptions> pretrain,
    IOptions<EvaluationOptions> evaluation,
    IConfiguration configuration)
{
    public const string BaseFile = "base.json";

    /// <summary>
    /// The base's second evaluation (Evaluation:NoiseFloor): the same model and problems, another sampling seed. How far
    /// it lies from evaluation.json is the noise floor an arm's effect must exceed. Part of the evaluation stage.
    /// </summary>
    public const string ReplicateFile = "evaluation.replicate.json";

    /// <summary>The sampling seed of the replicate evaluation: far from any run seed, so that its samples are independent of the first evaluation's.</summary>
    public static long ReplicateSeed(int seed) => seed + 1_000_003L;

    /// <summary>
    /// The seed of a continued base's document stream (Pretrain:From): not the run seed, whose stream the base it
    /// continues began with, so that mid-training draws documents of its own.
    /// </summary>
    public static int ContinuationDataSeed(int seed) => unchecked(seed + 2_000_003);

    // The sections that decide the pretrained model (the held-out count too: training never draws a held-out problem);
    // arms, training, rollout and the other evaluation options do not.
    private static readonly string[] s_modelSections = ["Components:Model", "Components:Tokenizer", "Components:Task",
        "Models", "Tokenizers", "Tasks", "Run", "Pretrain", "Evaluation:Problems"];

    // The sections that decide an evaluation, beside those that decide the model.
    private static readonly string[] s_evaluationSections = ["Components:Verifier", "Verifiers", "Evaluation"];

    /// <param name="cancellation">Stops pretraining between steps and evaluation between batches; the next run resumes from the last checkpoint.</param>
    public PipelineResult Run(CancellationToken cancellation = default) => lifecycle.Run(new BasePlan(catalog, selection.Value, run.Value, pretrain.Value, evaluation.Value, configuration), cancellation);

    /// <summary>base.json: the pretrained model and its evaluation, each with its fingerprint and file seals; written as each finishes.</summary>
    private sealed record BaseRecord(StageRecord? Model, PretrainSummary Pretraining, StageRecord? Evaluation) : IStagedRecord<BaseRecord>
    {
        [System.Text.Json.Serialization.JsonIgnore] public long Steps => Pretraining.Steps;

        public BaseRecord WithModel(StageRecord model) => this with { Model = model };

        public BaseRecord WithEvaluation(StageRecord evaluation) => this with { Evaluation = evaluation };
    }

    private sealed class BasePlan : RunPlan<BaseRecord, PipelineResult>
    {
        private readonly ComponentCatalog _catalog;
        private readonly ComponentSelection _components;
        private readonly PretrainOptions _pretrain;
        private readonly EvaluationOptions _evaluation;
        private readonly string? _continues;

        public BasePlan(ComponentCatalog catalog, ComponentSelection components, RunOptions run, PretrainOptions pretrain, EvaluationOptions evaluation, IConfiguration configuration)
        {
            (_catalog, _components, _pretrain, _evaluation, Seed) = (catalog, components, pretrain, evaluation, run.Seed);
            // Absent selections stay out, so that a study without them keeps the fingerprints it had.
            string[] modelSections =
            [
                .. s_modelSections,
                .. components.PretrainCurriculum is null ? (string[])[] : ["Components:PretrainCurriculum", "Curricula"],
                .. components.Tool is null ? (string[])[] : ["Components:Tool"],
            ];
            // A continued base depends on the exact weights it starts from, as an arm does: the seal its base recorded,
            // just verified, names them without hashing them again.
            var continued = pretrain.From is { Length: > 0 } from ? ContinuedModel(configuration, from) : ((string Model, string Seal)?)null;
            _continues = continued?.Model;
            string start = continued is { Seal: var seal } ? $"\nstart={seal}" : "";
            ModelFingerprint = RunFingerprint.Of(configuration, modelSections) + start;
            Fingerprint = RunFingerprint.Of(configuration, [.. modelSections, .. s_evaluationSections]) + start;
        }

        // The model of base `from` for this seed, <RunRoot>/<study>/<from>/base/seed-<n>/model.bin, with its seal, once that verifies.
        private static (string Model, string Seal) ContinuedModel(IConfiguration configuration, string from)
        {
            string folder = RunPaths.RunFolder(new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection([new(StudyBases.SelectKey, from)]).Build());
            string record = Path.Combine(folder, BaseFile);
            StageRecord? model = null;
            string? why;
            try
            {
                model = File.Exists(record) ? JsonSerializer.Deserialize<BaseRecord>(File.ReadAllText(record))?.Model : null;
                why = !File.Exists(record) ? $"{record} is missing" : model is null ? $"{record} records no pretrained model" : FileSeal.Check(folder, model.Files);
            }
            catch (JsonException e)
            {
                why = $"{record} cannot be read ({e.Message})";
            }
            return why is null ? (Path.Combine(folder, RunPaths.ModelFile), model!.Files[RunPaths.ModelFile])
                : throw new InvalidOperationException($"{StudyBases.FromKey} = '{from}': this base continues the pretrained model of base '{from}', which has no " +
                                                      $"finished, verified one for this seed ({why}); run that base first (rlvr run runs a study's bases in order)");
        }

        public override string Arm => RunPaths.BaseArm;
        public override string Title => "The base run";
        public override string RecordFile => BaseFile;
        public override string ModelStage => Pretrainer.Stage;
        public override int Seed { get; }
        public override string ModelFingerprint { get; }
        public override string Fingerprint { get; }

        public override (int Step, string Fingerprint)? DescribeCheckpoint(string checkpoint) => Pretrainer.Describe(checkpoint);

        public override void LogReused(ILogger logger, string folder) =>
            logger.LogInformation("Reusing the base run in {Folder}: its configuration is unchanged and its files verify (set Run:Reuse=false to pretrain again)", folder);

        public override void LogModelReused(ILogger logger, string model) =>
            logger.LogInformation("Reusing the pretrained model {Model}: its configuration is unchanged and it verifies", model);

        public override bool Complete(BaseRecord record, string folder, ILogger logger)
        {
            if (!_evaluation.NoiseFloor || record.Evaluation!.Files.ContainsKey(ReplicateFile)) return true;
            logger.LogInformation("{Folder} has no replicate evaluation (Evaluation:NoiseFloor): evaluating its verified model again, with the replicate", folder);
            return false;
        }

        public override IReadOnlyList<Problem> HeldOut(RunComponents components) =>
            ProblemSets.HeldOut(components.Task, components.Task.Difficulties, _evaluation.Problems, Seed);

        public override BaseRecord Produce(RunContext run, string? resume, CancellationToken cancellation)
        {
            var (task, tokenizer) = (run.Components.Task, run.Components.Tokenizer);
            AtomicFile.Write(Path.Combine(run.Folder, "tokenizer.json"), tokenizer.Save);
            var curriculum = _components.PretrainCurriculum is { } mix ? _catalog.Get<ICurriculum>(mix) : null;
            if (_continues is not null)
            {
                run.Log.LogInformation("Continuing the pretrained model {Model} (Pretrain:From = {From})", _continues, _pretrain.From);
                run.Model.Module.load(_continues);
            }
            var pretrained = new Pretrainer(_pretrain, run.Log, run.Sinks, run.Progress).Train(run.Model, tokenizer, task,
                ProblemSets.Training(task, run.HeldOut), new Random(_continues is null ? Seed : ContinuationDataSeed(Seed)), curriculum, run.Checkpoints, ModelFingerprint, resume, cancellation, run.Components.Tool);
            if (pretrained.Steps > 0)
                run.Log.LogInformation("Pretrained {Steps} steps, {Tokens:N0} tokens in {Elapsed:F0} s ({Rate:N0} tok/s); loss {First:F3} -> {Final:F3}",
                    pretrained.Steps, pretrained.Tokens, pretrained.Elapsed.TotalSeconds, pretrained.TokensPerSecond, pretrained.FirstLoss, pretrained.FinalLoss);
            return new BaseRecord(null, pretrained, null);
        }

        public override IReadOnlyList<string> EvaluateMore(RunContext run, Evaluator evaluator, CancellationToken cancellation)
        {
            if (!_evaluation.NoiseFloor) return [];
            run.Log.LogInformation("Evaluating the base again with sampling seed {Seed}: the noise floor", ReplicateSeed(Seed));
            run.WriteEvaluation(evaluator.Evaluate(run.Model, run.Components.Tokenizer, run.Components.Verifier, run.HeldOut, ReplicateSeed(Seed), cancellation,
                run.Components.Tools), ReplicateFile);
            return [ReplicateFile];
        }

        public override PipelineResult Result(string folder, BaseRecord record, EvaluationResult evaluation, IReadOnlyList<Problem> heldOut) =>
            new(folder, record.Pretraining, evaluation, heldOut);
    }
}
