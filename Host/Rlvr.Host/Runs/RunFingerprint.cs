// What a stage's results depend on, as text: the configuration keys that decide it, sorted. Two runs with the same
// fingerprint compute the same numbers, so a finished stage is reused and a checkpoint is resumed only under it.
// Values are canonical first, so that 0.00005 and 5e-05, or True and true, are one configuration. A value that names
// an existing file or folder (a JSONL of problems, a model folder, a verifier script) stands for what it holds too: a
// file changed under the same path is another configuration.
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace Rlvr.Host.Runs;

/// <summary>Fingerprints of configurations.</summary>
public static class RunFingerprint
{
    // Keys that change where and how a run executes or is logged, never its numbers; the other arms; and the seed lists
    // (a run's own seeds are Run:Seed and Run:RlSeed).
    private static readonly string[] s_ignored = ["Run:Threads", "Run:Reuse", "Run:RunRoot", "Run:Parallel", "Plugins", "Serilog", "Logging", "Arms", "Seeds", "RlSeeds"];

    /// <summary>The keys and values under <paramref name="sections"/> (every section when null), one "key=value" a line.</summary>
    public static string Of(IConfiguration configuration, IEnumerable<string>? sections = null)
    {
        var pairs = sections is null ? configuration.AsEnumerable() : sections.SelectMany(s => configuration.GetSection(s).AsEnumerable());
        return string.Join("\n", pairs
            .Where(p => p.Value is not null && !s_ignored.Any(i => p.Key == i || p.Key.StartsWith(i + ":", StringComparison.OrdinalIgnoreCase)))
            .SelectMany(p => Lines(p.Key, p.Value!))
            .Distinct()
            .Order(StringComparer.Ordinal));
    }

    private static IEnumerable<string> Lines(string key, string value)
    {
        yield return $"{key}={Canonical(value)}";
        if (Content(value) is { } content) yield return $"{key}@content={content}";
    }

    /// <summary>Files up to this size are known by their SHA-256; larger ones (a model's weights) by size and last write, read in no time.</summary>
    public const long HashedBytes = 64L << 20;

    private static readonly ConcurrentDictionary<(string Path, long Length, DateTime Written), string> s_hashes = new();

    /// <summary>
    /// What a value that names an existing file or folder (relative to the working directory, or absolute) holds: a
    /// file's size and hash, a folder's files (not its subfolders) by name, size and hash. Null for any other value.
    /// </summary>
    public static string? Content(string value)
    {
        if (value is "" or "." or ".." || bool.TryParse(value, out _) || double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            || value.IndexOfAny(Path.GetInvalidPathChars()) >= 0) return null;
        try
        {
            if (File.Exists(value)) return Describe(new FileInfo(value));
            if (Directory.Exists(value))
                return string.Join(",", new DirectoryInfo(value).EnumerateFiles().OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => $"{f.Name}:{Describe(f)}"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;   // unreadable: the path alone identifies it, and the run that reads it reports the error
        }
        return null;
    }

    private static string Describe(FileInfo file)
    {
        if (file.Length > HashedBytes) return $"{file.Length}b@{file.LastWriteTimeUtc:O}";
        return s_hashes.GetOrAdd((file.FullName, file.Length, file.LastWriteTimeUtc), _ =>
        {
            using var stream = file.OpenRead();
            return $"{file.Length}b:{Convert.ToHexStringLower(SHA256.HashData(stream))}";
        });
    }

    /// <summary>
    /// A value as the binder reads it, written one way: an integer in digits, any other number in the shortest digits
    /// that round-trip, without an exponent (so plainly written values stay as they are), a boolean as True or False.
    /// Anything else stays as written.
    /// </summary>
    public static string Canonical(string value)
    {
        var invariant = CultureInfo.InvariantCulture;
        if (long.TryParse(value, NumberStyles.Integer, invariant, out long integer)) return integer.ToString(invariant);
        if (double.TryParse(value, NumberStyles.Float, invariant, out double number) && double.IsFinite(number)) return Positional(number);
        if (bool.TryParse(value, out bool flag)) return flag.ToString(invariant);
        return value;
    }

    // The round-trip digits of a double with the exponent written out: 5E-05 -> 0.00005, 1E+16 -> 10000000000000000.
    private static string Positional(double number)
    {
        string shortest = number.ToString("R", CultureInfo.InvariantCulture);
        int e = shortest.IndexOf('E', StringComparison.Ordinal);
        if (e < 0) return shortest;
        string sign = shortest[0] == '-' ? "-" : "", mantissa = shortest[sign.Length..e];
        int exponent = int.Parse(shortest[(e + 1)..], CultureInfo.InvariantCulture);
        string digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        int point = (mantissa.IndexOf('.', StringComparison.Ordinal) is >= 0 and int dot ? dot : mantissa.Length) + exponent;
        string positional = point <= 0 ? "0." + new string('0', -point) + digits
            : point >= digits.Length ? digits + new string('0', point - digits.Length)
            : digits[..point] + "." + digits[point..];
        return sign + positional;
    }
}
