// A file's seal is its size and SHA-256, recorded when a stage or a checkpoint writes the file and checked before
// anything reads it again: a flipped byte or a truncated tail is found before it can become a silently different model.
namespace Rlvr.Host.Runs;

/// <summary>Seals files (size and SHA-256) and checks them against what was recorded.</summary>
public static class FileSeal
{
    /// <summary>The seal of <paramref name="file"/>, <c>&lt;bytes&gt;:&lt;sha256&gt;</c>; flushed to disk first when <paramref name="flush"/>.</summary>
    public static string Of(string file, bool flush = true)
    {
        if (flush) Flush(file);
        return $"{new FileInfo(file).Length}:{AtomicFile.Hash(file)}";
    }

    /// <summary>Forces <paramref name="file"/>'s bytes to disk, so that a seal recorded after it holds after a crash.</summary>
    public static void Flush(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>The seals of <paramref name="names"/>, files of <paramref name="folder"/>, by name.</summary>
    public static Dictionary<string, string> Of(string folder, IEnumerable<string> names) =>
        names.ToDictionary(name => name, name => Of(Path.Combine(folder, name)));

    /// <summary>Null when every file of <paramref name="seals"/> is in <paramref name="folder"/> with its recorded seal; otherwise what is wrong, naming the file.</summary>
    public static string? Check(string folder, IReadOnlyDictionary<string, string>? seals)
    {
        if (seals is null || seals.Count == 0) return "no recorded hashes";
        foreach (var (name, seal) in seals)
        {
            string file = Path.Combine(folder, name);
            if (!File.Exists(file)) return $"{file} is missing";
            if (Of(file, flush: false) != seal) return $"{file} does not match its recorded size and SHA-256 (damaged or changed since it was written)";
        }
        return null;
    }
}
