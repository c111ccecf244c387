using System.Text.Json;
using Rlvr.Host.Runs;
using Rlvr.Metrics;

namespace Rlvr.Host.Metrics;

/// <summary>The <c>jsonl</c> metrics sink: every run's <c>metrics.jsonl</c>, the record a resumed run and the report read back.</summary>
public sealed class JsonlMetricsSinkFactory : IMetricsSinkFactory
{
    public const string Name = "jsonl";

    /// <remarks>The file already holds the run's kept records: the lifecycle cut it back to them before opening the sinks.</remarks>
    public IMetricsSink Create(MetricsRun run) => new JsonlMetricsSink(Path.Combine(run.Folder, RunPaths.MetricsFile));
}

/// <summary>Appends each record as one JSON line to <c>metrics.jsonl</c> in the run folder; every run writes it.</summary>
public sealed class JsonlMetricsSink : IMetricsSink, IDisposable
{
    private readonly StreamWriter _writer;

    public JsonlMetricsSink(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _writer = new StreamWriter(path, append: true) { AutoFlush = true };
    }

    public void Emit(MetricsRecord record)
    {
        var line = new Dictionary<string, object>
        {
            ["stage"] = record.Stage,
            ["step"] = record.Step,
            ["time"] = record.Timestamp.ToUnixTimeMilliseconds() / 1000.0,
        };
        // NaN and infinities are not JSON numbers: write them as strings so the line stays valid.
        foreach (var (name, value) in record.Values) line[name] = double.IsFinite(value) ? value : value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _writer.WriteLine(JsonSerializer.Serialize(line));
    }

    /// <summary>Keeps only the records of <paramref name="path"/> for which <paramref name="keep"/>(stage, step) holds: a resumed run drops what it will write again.</summary>
    public static void Truncate(string path, Func<string, int, bool> keep)
    {
        if (!File.Exists(path)) return;
        var kept = File.ReadLines(path).Where(line =>
        {
            using var record = JsonDocument.Parse(line);
            return keep(record.RootElement.GetProperty("stage").GetString()!, record.RootElement.GetProperty("step").GetInt32());
        }).ToList();
        AtomicFile.WriteAllText(path, kept.Count == 0 ? "" : string.Join("\n", kept) + "\n");
    }

    /// <summary>Every record of <paramref name="path"/>, in order; none when the file does not exist.</summary>
    public static IEnumerable<MetricsRecord> Read(string path)
    {
        if (!File.Exists(path)) yield break;
        foreach (string line in File.ReadLines(path))
        {
            using var record = JsonDocument.Parse(line);
            var root = record.RootElement;
            var values = root.EnumerateObject().Where(p => p.Name is not ("stage" or "step" or "time")).ToDictionary(p => p.Name,
                p => p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : double.Parse(p.Value.GetString()!, System.Globalization.CultureInfo.InvariantCulture));
            yield return new MetricsRecord(root.GetProperty("stage").GetString()!, root.GetProperty("step").GetInt64(), values,
                DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(root.GetProperty("time").GetDouble() * 1000)));
        }
    }

    public void Dispose() => _writer.Dispose();
}
