// Checkpoints of one run, each a folder checkpoints/step-NNNNNN/. A checkpoint is written to a staging folder, every
// file flushed to disk, a manifest of sizes and SHA-256 hashes written last, and only then renamed into place; a
// reader trusts a checkpoint only if its manifest verifies. A kill mid-write leaves the previous checkpoint in use.
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Rlvr.Host.Runs;

/// <summary>Writes, verifies and finds a run's checkpoints.</summary>
public sealed class CheckpointStore(string runFolder, ILogger logger, int keep = 2)
{
    public const string Folder = "checkpoints", ManifestFile = "manifest.json";
    private const string Prefix = "step-";

    /// <summary>The folder that holds the checkpoints.</summary>
    public string Root { get; } = Path.Combine(runFolder, Folder);

    /// <summary>Writes the checkpoint of <paramref name="step"/>: <paramref name="writeFiles"/> fills a folder, then it is sealed and moved into place.</summary>
    /// <returns>The checkpoint's folder.</returns>
    public string Write(int step, Action<string> writeFiles)
    {
        string final = Path.Combine(Root, $"{Prefix}{step:D6}"), staging = final + ".tmp";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        writeFiles(staging);
        var manifest = FileSeal.Of(staging, Directory.GetFiles(staging).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);
        File.WriteAllText(Path.Combine(staging, ManifestFile), JsonSerializer.Serialize(manifest));
        FileSeal.Flush(Path.Combine(staging, ManifestFile));
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(staging, final);
        foreach (var stale in Checkpoints().Skip(keep)) Directory.Delete(stale.Folder, recursive: true);
        return final;
    }

    /// <summary>The newest checkpoint whose manifest verifies; a damaged one is reported and skipped.</summary>
    public (int Step, string Folder)? Latest()
    {
        foreach (var checkpoint in Checkpoints())
        {
            if (Verify(checkpoint.Folder) is not { } problem) return checkpoint;
            logger.LogWarning("Checkpoint {Folder} is damaged ({Problem}); using the one before it", checkpoint.Folder, problem);
        }
        return null;
    }

    /// <summary>Removes every checkpoint, for a run that starts afresh.</summary>
    public void Clear()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }

    // Newest first; staging folders (".tmp") are never checkpoints.
    private IEnumerable<(int Step, string Folder)> Checkpoints() =>
        !Directory.Exists(Root) ? [] :
        Directory.GetDirectories(Root, Prefix + "*")
            .Select(d => (Name: Path.GetFileName(d), Folder: d))
            .Where(d => d.Name.Length > Prefix.Length && d.Name[Prefix.Length..].All(char.IsAsciiDigit))
            .Select(d => (int.Parse(d.Name[Prefix.Length..]), d.Folder))
            .OrderByDescending(c => c.Item1)
            .ToList();

    // Null when every file is present with its recorded size and hash; otherwise what is wrong.
    private static string? Verify(string folder)
    {
        string path = Path.Combine(folder, ManifestFile);
        if (!File.Exists(path)) return "no manifest";
        Dictionary<string, string>? manifest;
        try { manifest = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)); }
        catch (JsonException e) { return $"unreadable manifest: {e.Message}"; }
        if (manifest is null || manifest.Count == 0) return "empty manifest";
        return FileSeal.Check(folder, manifest);
    }
}
