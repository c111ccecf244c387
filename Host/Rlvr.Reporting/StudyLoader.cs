// Reads a study folder, runs/<study>/<arm>/seed-<n>/ (and seed-<n>-rl-<r>/), into records. Nothing here computes: a folder without an
// evaluation is kept as an unevaluated run, so the report can say which runs are missing.
using System.Text.Json;
using System.Text.Json.Nodes;
using Rlvr.Host.Evaluation;
using Rlvr.Host.Metrics;
using Rlvr.Host.Runs;

namespace Rlvr.Reporting;

/// <summary>Reads the run folders of a study.</summary>
public static class StudyLoader
{

    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">The folder holds no run folders, or a run's evaluation.json, config.json or status.json is not valid JSON.</exception>
    public static StudyData Load(string folder)
    {
        string full = Path.GetFullPath(folder);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"No study folder {full}.");
        var runs = new List<RunData>();
        foreach (string armFolder in Directory.GetDirectories(full).Order(StringComparer.Ordinal))
            foreach (string seedFolder in Directory.GetDirectories(armFolder, RunPaths.SeedPrefix + "*"))
                if (RunPaths.ParseRunFolderName(Path.GetFileName(seedFolder)) is (int seed, var rlSeed))
                    runs.Add(Read(Path.GetFileName(armFolder), seed, rlSeed, seedFolder));
        if (runs.Count == 0) throw new InvalidDataException($"{full} holds no run folders <arm>/{RunPaths.SeedPrefix}<n>/.");
        return new StudyData(Path.GetFileName(full), full, runs);
    }

    private static RunData Read(string arm, int seed, int? rlSeed, string folder) => new(arm, seed, folder,
        Parse(Path.Combine(folder, RunPaths.EvaluationFile), json => JsonSerializer.Deserialize<EvaluationResult>(json)),
        MetricsFile.Read(Path.Combine(folder, RunPaths.MetricsFile)),
        Parse(Path.Combine(folder, RunPaths.ConfigFile), json => JsonNode.Parse(json) as JsonObject),
        Parse(Path.Combine(folder, RunStatus.File), json => JsonSerializer.Deserialize<RunStatus>(json)),
        Parse(Path.Combine(folder, PipelineRunner.ReplicateFile), json => JsonSerializer.Deserialize<EvaluationResult>(json)), rlSeed);

    private static T? Parse<T>(string path, Func<string, T?> parse) where T : class
    {
        if (!File.Exists(path)) return null;
        try
        {
            return parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid: {e.Message}", e);
        }
    }
}
