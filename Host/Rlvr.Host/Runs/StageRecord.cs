// A run folder holds two stages: the model (pretrained, or trained by an arm) and its evaluation. Each is recorded,
// when it finishes, with the fingerprint of what it depends on and the seals of the files it wrote. A later run
// reuses a stage only when its fingerprint is unchanged and its files verify; a damaged file is computed again; a
// finished stage of another configuration is never overwritten: the folder (or, when only the evaluation changed,
// the evaluation) is moved aside first, with a warning that says where.
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Rlvr.Host.Metrics;

namespace Rlvr.Host.Runs;

/// <summary>What a finished stage was computed under, and the seals of the files it wrote (see <see cref="FileSeal"/>).</summary>
public sealed record StageRecord(string Configuration, Dictionary<string, string> Files)
{
    /// <summary>A record of <paramref name="files"/> of <paramref name="folder"/>, sealed now.</summary>
    public static StageRecord Seal(string fingerprint, string folder, params string[] files) => new(fingerprint, FileSeal.Of(folder, files));
}

/// <summary>The record of a run folder (<c>base.json</c>, <c>arm.json</c>): its model stage, then its evaluation stage.</summary>
public interface IStagedRecord
{
    StageRecord? Model { get; }

    StageRecord? Evaluation { get; }
}

/// <summary>A run folder's record (<c>base.json</c>, <c>arm.json</c>) as the lifecycle writes it, stage by stage.</summary>
public interface IStagedRecord<TSelf> : IStagedRecord where TSelf : IStagedRecord<TSelf>
{
    /// <summary>The last step of the stage that produced the model: where its evaluation's metrics record goes.</summary>
    long Steps { get; }

    /// <summary>This record with its model stage sealed.</summary>
    TSelf WithModel(StageRecord model);

    /// <summary>This record with its evaluation stage sealed.</summary>
    TSelf WithEvaluation(StageRecord evaluation);
}

/// <summary>Decides what of a run folder a run keeps, resumes or moves aside.</summary>
public static class RunStages
{
    /// <summary>Marks a folder (or an evaluation file) moved aside: <c>seed-1.replaced-&lt;UTC time&gt;</c>. Readers of run folders skip it.</summary>
    public const string ReplacedMarker = ".replaced-";

    /// <summary>The stage of metrics.jsonl's evaluation record.</summary>
    public const string EvaluationMetrics = "eval";

    /// <summary>
    /// The record of <paramref name="folder"/> when its model can be reused (same <paramref name="modelFingerprint"/>,
    /// model file verified), with whether its evaluation can be too; otherwise null, the folder ready for a fresh model.
    /// A finished model of another configuration is moved aside with its folder; a finished evaluation of another, beside it.
    /// </summary>
    public static (T? Record, bool Evaluated) Inspect<T>(string folder, string recordFile, string modelFingerprint, string evaluationFingerprint,
        bool reuse, ILogger logger) where T : class, IStagedRecord
    {
        string path = Path.Combine(folder, recordFile);
        if (!File.Exists(path)) return (null, false);
        T? record;
        try { record = JsonSerializer.Deserialize<T>(File.ReadAllText(path)); }
        catch (JsonException) { record = null; }
        if (record?.Model is not { } model)
        {
            MoveAside(folder, $"{path} cannot be read or records no file hashes (an older version wrote it)", logger);
            return (null, false);
        }
        if (!reuse || model.Configuration != modelFingerprint)
        {
            MoveAside(folder, reuse ? "its configuration differs from this one" : "Run:Reuse is false", logger);
            return (null, false);
        }
        if (FileSeal.Check(folder, model.Files) is { } damaged)
        {
            logger.LogWarning("{Problem}; computing the model again", damaged);
            File.Delete(path);
            return (null, false);
        }
        if (record.Evaluation is not { } evaluation) return (record, false);
        if (evaluation.Configuration != evaluationFingerprint)
        {
            SetAsideEvaluation(folder, evaluation, logger);
            return (record, false);
        }
        if (FileSeal.Check(folder, evaluation.Files) is { } wrong)
        {
            logger.LogWarning("{Problem}; evaluating the model again", wrong);
            return (record, false);
        }
        return (record, true);
    }

    /// <summary>
    /// The checkpoint of <paramref name="fingerprint"/> to resume <paramref name="stage"/> from, its metrics kept up to
    /// its step; or null, every checkpoint and metric of <paramref name="folder"/> cleared for a fresh start.
    /// </summary>
    /// <param name="describe">Reads a checkpoint's step and fingerprint.</param>
    public static string? Resumable(string folder, CheckpointStore checkpoints, string fingerprint, string stage, Func<string, (int Step, string Fingerprint)?> describe)
    {
        string metrics = Path.Combine(folder, RunPaths.MetricsFile);
        if (checkpoints.Latest() is { } latest && describe(latest.Folder) is { } saved && saved.Fingerprint == fingerprint)
        {
            JsonlMetricsSink.Truncate(metrics, (at, step) => at == stage && step <= saved.Step);
            return latest.Folder;
        }
        checkpoints.Clear();
        File.Delete(metrics);
        return null;
    }

    /// <summary>metrics.jsonl without its evaluation record, for a model evaluated again.</summary>
    public static void DropEvaluationMetrics(string folder) =>
        JsonlMetricsSink.Truncate(Path.Combine(folder, RunPaths.MetricsFile), (stage, _) => stage != EvaluationMetrics);

    private static string Stamp() => DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);

    // The whole folder goes: its model, evaluation, metrics, logs and checkpoints stay together, as they were.
    private static void MoveAside(string folder, string why, ILogger logger)
    {
        string target = Path.TrimEndingDirectorySeparator(folder) + ReplacedMarker + Stamp();
        Directory.Move(folder, target);
        Directory.CreateDirectory(folder);
        logger.LogWarning("{Folder} holds a finished run that this one would overwrite ({Why}); moved it to {Replaced} and computing afresh", folder, why, target);
    }

    // The model stays; its previous evaluation is kept as evaluation.replaced-<time>.json.
    private static void SetAsideEvaluation(string folder, StageRecord evaluation, ILogger logger)
    {
        foreach (string name in evaluation.Files.Keys.Where(n => File.Exists(Path.Combine(folder, n))))
        {
            string target = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(name)}{ReplacedMarker}{Stamp()}{Path.GetExtension(name)}");
            File.Move(Path.Combine(folder, name), target);
            logger.LogWarning("{Folder}: the evaluation settings changed; the model is reused and evaluated again, its previous {File} kept as {Replaced}",
                folder, name, Path.GetFileName(target));
        }
    }
}
