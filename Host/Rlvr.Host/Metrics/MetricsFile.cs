// Reads metrics.jsonl back into records: the inverse of JsonlMetricsSink, which writes NaN and infinities as strings.
using System.Globalization;
using System.Text.Json;
using Rlvr.Metrics;

namespace Rlvr.Host.Metrics;

/// <summary>Reads a run's metrics.jsonl.</summary>
public static class MetricsFile
{
    private static readonly string[] s_reserved = ["stage", "step", "time"];

    /// <summary>The records of <paramref name="path"/> by stage and step; empty when the file is missing.</summary>
    /// <remarks>A rerun appends to the file, so the last record of a stage and step wins. A line cut short by a crash is skipped.</remarks>
    /// <param name="unreadable">Told the 1-based number of each line that is not JSON, with the parser's message.</param>
    public static IReadOnlyList<MetricsRecord> Read(string path, Action<int, string>? unreadable = null)
    {
        if (!File.Exists(path)) return [];
        var latest = new Dictionary<(string Stage, long Step), MetricsRecord>();
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var document = JsonDocument.Parse(line);
                var record = Record(document.RootElement);
                latest[(record.Stage, record.Step)] = record;
            }
            catch (JsonException e)
            {
                unreadable?.Invoke(number, e.Message);   // an unreadable line says nothing about the others
            }
            catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException)
            {
                // JSON, but not a metrics record (no stage or step): not this file's kind of line.
            }
        }
        return [.. latest.Values.OrderBy(r => r.Stage, StringComparer.Ordinal).ThenBy(r => r.Step)];
    }

    private static MetricsRecord Record(JsonElement line)
    {
        var values = new Dictionary<string, double>();
        foreach (var property in line.EnumerateObject().Where(p => !s_reserved.Contains(p.Name)))
        {
            if (property.Value.ValueKind == JsonValueKind.Number) values[property.Name] = property.Value.GetDouble();
            else if (property.Value.ValueKind == JsonValueKind.String &&
                     double.TryParse(property.Value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value)) values[property.Name] = value;
        }
        double time = line.TryGetProperty("time", out var t) ? t.GetDouble() : 0;
        return new MetricsRecord(line.GetProperty("stage").GetString()!, line.GetProperty("step").GetInt64(), values,
            DateTimeOffset.FromUnixTimeMilliseconds((long)(time * 1000)));
    }
}
