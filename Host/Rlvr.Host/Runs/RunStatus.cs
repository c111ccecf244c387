// status.json in each run folder: which stage a run is in and whether it finished, failed or is still going. The
// runners write it at every stage change and tell the listeners (the run index brings the run's row up to date).
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rlvr.Host.Runs;

/// <summary>The state of one run, as written to <c>status.json</c>.</summary>
/// <param name="Software">What computed the run: Rlvr's version with its git commit, TorchSharp, .NET and the OS.</param>
public sealed record RunStatus(string Study, string Arm, int Seed, string Stage, string Status, DateTimeOffset Started, DateTimeOffset Updated,
    string? Error, string ConfigHash, SoftwareVersion? Software = null)
{
    public const string File = "status.json";
    public const string Running = "running", Finished = "finished", Failed = "failed", Stopped = "stopped", Unknown = "unknown";

    /// <summary>Told of each write, in order.</summary>
    [JsonIgnore] public IReadOnlyList<IRunStatusListener> Listeners { get; init; } = [];

    /// <summary>
    /// Writes this status into <paramref name="folder"/> (<c>&lt;RunRoot&gt;/&lt;study&gt;/&lt;arm&gt;/seed-n</c>) atomically, then
    /// tells the <see cref="Listeners"/>.
    /// </summary>
    public void Write(string folder)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, File), JsonSerializer.Serialize(this, s_indented));
        foreach (var listener in Listeners) listener.StatusWritten(folder);
    }

    /// <summary>A running status for a run that starts now.</summary>
    public static RunStatus Start(string folder, string study, string arm, int seed, string stage, string fingerprint, IReadOnlyList<IRunStatusListener>? listeners = null)
    {
        var now = DateTimeOffset.UtcNow;
        string hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(fingerprint)))[..16];
        return Save(folder, new RunStatus(study, arm, seed, stage, Running, now, now, null, hash, SoftwareVersion.Current) { Listeners = listeners ?? [] });
    }

    /// <summary>This run, now in <paramref name="stage"/>, written to <paramref name="folder"/>.</summary>
    public RunStatus Enter(string folder, string stage) => Save(folder, this with { Stage = stage, Updated = DateTimeOffset.UtcNow });

    /// <summary>This run, finished.</summary>
    public RunStatus Finish(string folder) => Save(folder, this with { Stage = "done", Status = Finished, Updated = DateTimeOffset.UtcNow });

    /// <summary>This run, failed with <paramref name="error"/>, or stopped when <paramref name="error"/> is a cancellation.</summary>
    /// <remarks>The stage is the one last written to the folder, which a runner may have moved on since this status.</remarks>
    public RunStatus Fail(string folder, Exception error)
    {
        bool stopped = error is OperationCanceledException;
        return Save(folder, (Read(folder) ?? this) with
        {
            Status = stopped ? Stopped : Failed,
            Error = stopped ? "interrupted (Ctrl+C, SIGTERM or a scheduler's requeue); running it again resumes from its last checkpoint" : error.Message,
            Updated = DateTimeOffset.UtcNow,
            Listeners = Listeners,
        });
    }

    /// <summary>The status in <paramref name="folder"/>; null when there is none or it cannot be read.</summary>
    internal static RunStatus? Read(string folder)
    {
        try { return JsonSerializer.Deserialize<RunStatus>(System.IO.File.ReadAllText(Path.Combine(folder, File))); }
        catch (Exception e) when (e is IOException or JsonException) { return null; }
    }

    private static RunStatus Save(string folder, RunStatus status)
    {
        status.Write(folder);
        return status;
    }

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };
}
