namespace Rlvr.Host.Runs;

/// <summary>Writes a file so that readers see the old content or the new, never half of it: temp file, flush, rename.</summary>
public static class AtomicFile
{
    /// <summary>Calls <paramref name="write"/> with a temporary path beside <paramref name="path"/>, then renames it over <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> write)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = $"{full}.{Guid.NewGuid():N}.tmp";   // unique across threads, processes and machines sharing the folder
        try
        {
            write(temp);
            using (var stream = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite)) stream.Flush(flushToDisk: true);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string text) => Write(path, temp => File.WriteAllText(temp, text));

    /// <summary>The SHA-256 of a file's bytes, in hex.</summary>
    public static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(stream));
    }
}
