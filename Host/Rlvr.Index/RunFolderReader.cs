// Reads a run folder into an index entry. The files are the truth, and each is read on its own: a file that
// cannot be read is reported and treated as absent (for metrics.jsonl, a line), so it costs only what it held.
using System.Text.Json;
using Rlvr.Host.Evaluation;
using Rlvr.Host.Runs;

namespace Rlvr.Index;

/// <summary>Reads what a run folder holds: status.json, config.json, evaluation.json and metrics.jsonl.</summary>
public static class RunFolderReader
{
    public const string StatusFile = RunStatus.File, ConfigFile = RunPaths.ConfigFile, MetricsFile = RunPaths.MetricsFile;

    /// <summary>The status listed for a run whose status.json says running but whose lock no process holds: it was killed, and running it again resumes it.</summary>
    public const string Interrupted = "interrupted";

    private static readonly string[] s_files = [StatusFile, ConfigFile, RunPaths.EvaluationFile, MetricsFile];
    private static readonly JsonSerializerOptions s_json = new() { PropertyNameCaseInsensitive = true };

    // What the index takes from status.json; the study, arm and seed come from where the folder is.
    private sealed record StatusJson(string? Stage, string? Status, DateTimeOffset? Started, DateTimeOffset? Updated, string? Error, string? ConfigHash);

    /// <summary>
    /// The study, arm, seed and RL seed of a folder at <c>&lt;runs root&gt;/&lt;study&gt;/&lt;arm&gt;/seed-&lt;n&gt;</c> or
    /// <c>.../seed-&lt;n&gt;-rl-&lt;r&gt;</c>; null for any other folder.
    /// </summary>
    public static (string Study, string Arm, int Seed, int? RlSeed)? Identify(string folder)
    {
        var run = new DirectoryInfo(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        if (RunPaths.ParseRunFolderName(run.Name) is not (int seed, var rlSeed) || run.Parent is not { Parent: { } study } arm) return null;
        return (study.Name, arm.Name, seed, rlSeed);
    }

    /// <summary>Reads the run in <paramref name="folder"/>, adding to <paramref name="problems"/> each file or line it could not read.</summary>
    /// <exception cref="ArgumentException">The folder is not laid out as a run folder.</exception>
    public static RunEntry Read(string folder, ICollection<string> problems)
    {
        folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var (study, arm, seed, rlSeed) = Identify(folder) ?? throw new ArgumentException($"{folder}: not a run folder (<runs root>/<study>/<arm>/seed-<n>)", nameof(folder));

        var status = Parse(Path.Combine(folder, StatusFile), problems, Deserialize<StatusJson>, s => s.Status is not null, "a run status (no Status)");
        var evaluation = Parse(Path.Combine(folder, RunPaths.EvaluationFile), problems, Deserialize<EvaluationResult>, e => e.PassAtK is not null, "an evaluation (no PassAtK)");
        // config.json is stored as written, once it is known to be JSON.
        string? config = Parse(Path.Combine(folder, ConfigFile), problems, text => { using var _ = JsonDocument.Parse(text); return text; }, _ => true, "JSON");

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        ReadLogged(Path.Combine(folder, MetricsFile), metrics, problems);
        if (evaluation is not null) FinalMetrics.AddEvaluation(evaluation, metrics);

        var written = s_files.Select(f => Path.Combine(folder, f)).Where(File.Exists).Select(f => new DateTimeOffset(File.GetLastWriteTimeUtc(f))).ToList();
        if (written.Count == 0) written.Add(new DateTimeOffset(Directory.GetLastWriteTimeUtc(folder)));
        string state = status?.Status?.ToLowerInvariant() ?? (evaluation is not null ? RunStatus.Finished : RunStatus.Unknown);
        // A running status that no process holds the run's lock for is a run killed (kill -9, a node lost) before it could say so.
        string? error = status?.Error;
        if (state == RunStatus.Running && !RunLock.IsHeld(folder))
            (state, error) = (Interrupted, error ?? "killed while running (no process holds its lock); running it again resumes it");
        var record = new RunRecord(study, arm, seed, folder, state,
            status?.Stage, status?.Started ?? written.Min(), status?.Updated ?? written.Max(), status?.ConfigHash, error, rlSeed);
        return new RunEntry(record, config, metrics);
    }

    private static T? Deserialize<T>(string text) => JsonSerializer.Deserialize<T>(text, s_json);

    // The file's content read by read, or null, with the problem noted, when it is absent, unreadable, not JSON or incomplete.
    private static T? Parse<T>(string path, ICollection<string> problems, Func<string, T?> read, Func<T, bool> complete, string expected) where T : class
    {
        if (!File.Exists(path)) return null;
        try
        {
            var value = read(File.ReadAllText(path));
            if (value is not null && complete(value)) return value;
            problems.Add($"{path}: not {expected}; left out");
        }
        catch (JsonException e)
        {
            problems.Add($"{path}: not valid JSON, left out: {e.Message}");
        }
        catch (IOException e)
        {
            problems.Add($"{path}: cannot be read, left out: {e.Message}");
        }
        return null;
    }

    private static void ReadLogged(string path, Dictionary<string, double> metrics, ICollection<string> problems)
    {
        try
        {
            foreach (var record in Host.Metrics.MetricsFile.Read(path, (line, error) => problems.Add($"{path} line {line}: not valid JSON, left out: {error}")))
                FinalMetrics.AddLogged(record, metrics);
        }
        catch (IOException e)
        {
            problems.Add($"{path}: cannot be read, left out: {e.Message}");
        }
    }
}
