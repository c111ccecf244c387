// The run index: <runs root>/index.db, an SQLite cache of every run folder below the root, so that runs can be
// listed and compared without opening their files. The files stay the truth; Sync brings the index up to them.
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Rlvr.Host.Runs;

namespace Rlvr.Index;

/// <summary>The index of the runs below one runs root. Not thread-safe: one instance per thread; any number of processes.</summary>
public sealed class RunIndex : IDisposable
{
    public const string FileName = RunPaths.IndexFile;

    private const string RunColumns = """
        SELECT r.id, s.name, r.arm, r.seed, r.folder, r.status, r.stage, r.started, r.updated, r.config_hash, r.error, c.json, r.rl_seed
        FROM runs r JOIN studies s ON s.id = r.study_id LEFT JOIN configs c ON c.run_id = r.id
        """;
    private const string Filter = """
        WHERE ($study IS NULL OR s.name = $study) AND ($arm IS NULL OR r.arm = $arm)
          AND ($status IS NULL OR r.status = $status) AND ($seed IS NULL OR r.seed = $seed)
        """;

    private readonly SqliteConnection _connection;

    /// <summary>Opens the index of <paramref name="runsRoot"/>, creating the folder and the index when they do not exist.</summary>
    /// <remarks>
    /// An index that is damaged (not an SQLite file, truncated, a table missing) is moved aside to
    /// <c>index.db.damaged</c> and rebuilt from the run folders; <see cref="Rebuilt"/> then says so.
    /// </remarks>
    /// <exception cref="InvalidDataException">The index was written by a newer build.</exception>
    public RunIndex(string runsRoot)
    {
        Root = Path.GetFullPath(runsRoot);
        Directory.CreateDirectory(Root);
        string file = Path.Combine(Root, FileName);
        try
        {
            _connection = Open(file);
        }
        catch (Exception e) when (IsDamage(e))
        {
            // One process repairs at a time; one that waited finds the index already rebuilt.
            using var repair = RunLock.Acquire(file, NullLogger.Instance);
            try
            {
                _connection = Open(file);
            }
            catch (Exception again) when (IsDamage(again))
            {
                string aside = SetAside(file);
                _connection = Open(file);
                Sync();
                Rebuilt = $"the run index {file} was damaged ({Reason(again)}); moved it to {aside} and rebuilt it from the run folders";
            }
        }
    }

    /// <summary>What was done when the index was found damaged on opening, naming the file; null when it was sound.</summary>
    public string? Rebuilt { get; }

    /// <summary>The name a damaged index is moved to, beside it, replacing an older one.</summary>
    public const string DamagedFileName = FileName + ".damaged";

    private static SqliteConnection Open(string file)
    {
        // No pooling: a closed index leaves no file handle behind, and each process holds one connection anyway.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        try
        {
            connection.Open();
            // Several processes (a study's array jobs) write at once: WAL lets readers go on beside the one writer, and
            // a writer that finds the database locked waits up to the busy timeout instead of failing at once.
            connection.Execute(null, "PRAGMA busy_timeout = 30000");
            connection.Execute(null, "PRAGMA journal_mode = WAL");
            connection.Execute(null, "PRAGMA synchronous = NORMAL");
            RunIndexSchema.Apply(connection);
            RunIndexSchema.Check(connection);
            connection.Execute(null, "PRAGMA foreign_keys = ON");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // SQLITE_CORRUPT and SQLITE_NOTADB: the file is not a sound SQLite database.
    private static bool IsDamage(Exception e) =>
        e is RunIndexSchema.DamagedException or SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_CORRUPT or SQLitePCL.raw.SQLITE_NOTADB };

    private static string Reason(Exception e) =>
        e is SqliteException sqlite ? sqlite.Message.Replace("SQLite Error ", "error ", StringComparison.Ordinal).TrimEnd('.') : e.Message;

    // Moves the damaged file aside for a look, and drops its write-ahead log and shared memory, which a new file of
    // the same name would otherwise take as its own.
    private static string SetAside(string file)
    {
        string aside = Path.Combine(Path.GetDirectoryName(file)!, DamagedFileName);
        File.Move(file, aside, overwrite: true);
        File.Delete(file + "-wal");
        File.Delete(file + "-shm");
        return aside;
    }

    /// <summary>The runs root, a full path.</summary>
    public string Root { get; }

    /// <summary>Writes one run, its configuration and its final metrics, replacing what the index held for it.</summary>
    public void Upsert(RunEntry entry)
    {
        using var transaction = _connection.BeginTransaction(deferred: false);
        Upsert(entry, transaction);
        transaction.Commit();
    }

    /// <summary>Reads one run folder (as <see cref="RunFolderReader"/> does) and writes it; what the runners call as a run moves on.</summary>
    /// <returns>Each file or line that could not be read, with why.</returns>
    public IReadOnlyList<string> SyncRun(string runFolder)
    {
        var problems = new List<string>();
        Upsert(RunFolderReader.Read(runFolder, problems));
        return problems;
    }

    /// <summary>Reads every run folder below the root and writes them all, and drops the runs whose folders are gone.</summary>
    public SyncReport Sync()
    {
        var problems = new List<string>();
        // Read every file first, then write in one short transaction: the write lock is held for milliseconds.
        var entries = RunFolders().Select(folder => RunFolderReader.Read(folder, problems)).ToList();
        using var transaction = _connection.BeginTransaction(deferred: false);
        foreach (var entry in entries) Upsert(entry, transaction);
        var present = entries.Select(e => (e.Run.Study, e.Run.Arm, e.Run.Seed, e.Run.RlSeed)).ToHashSet();
        var gone = _connection.Query(transaction, "SELECT r.id, s.name, r.arm, r.seed, r.rl_seed FROM runs r JOIN studies s ON s.id = r.study_id",
            row => (Id: row.GetInt64(0), Key: (row.GetString(1), row.GetString(2), row.GetInt32(3), row.IsDBNull(4) ? (int?)null : row.GetInt32(4))))
            .Where(r => !present.Contains(r.Key)).ToList();
        foreach (var run in gone) _connection.Execute(transaction, "DELETE FROM runs WHERE id = $id", ("$id", run.Id));
        _connection.Execute(transaction, "DELETE FROM studies WHERE id NOT IN (SELECT study_id FROM runs)");
        transaction.Commit();
        return new SyncReport(entries.Count, gone.Count, problems);
    }

    /// <summary>The names of the studies with runs in the index.</summary>
    public IReadOnlyList<string> Studies() => _connection.Query(null, "SELECT name FROM studies ORDER BY name", row => row.GetString(0));

    /// <summary>The runs <paramref name="filter"/> keeps, by study, then the base before the arms, then arm and seed.</summary>
    public IReadOnlyList<RunEntry> Runs(RunFilter? filter = null)
    {
        filter ??= new RunFilter();
        (string, object?)[] parameters = [("$study", filter.Study), ("$arm", filter.Arm), ("$status", filter.Status), ("$seed", filter.Seed)];
        var metrics = _connection.Query(null,
                $"SELECT m.run_id, m.name, m.value FROM metrics m WHERE m.run_id IN (SELECT r.id FROM runs r JOIN studies s ON s.id = r.study_id {Filter})",
                row => (Run: row.GetInt64(0), Name: row.GetString(1), Value: row.GetDouble(2)), parameters)
            .ToLookup(m => m.Run);
        return _connection.Query(null, $"{RunColumns} {Filter} ORDER BY s.name, r.arm <> '{RunPaths.BaseArm}', r.arm, r.seed, r.rl_seed", row => new RunEntry(
            new RunRecord(row.GetString(1), row.GetString(2), row.GetInt32(3), row.GetString(4), row.GetString(5), Text(row, 6),
                Time(row, 7), Time(row, 8), Text(row, 9), Text(row, 10), row.IsDBNull(12) ? null : row.GetInt32(12)),
            Text(row, 11),
            metrics[row.GetInt64(0)].ToDictionary(m => m.Name, m => m.Value, StringComparer.Ordinal)), parameters);
    }

    /// <summary>The finished runs of <paramref name="study"/>, side by side per arm: pass@k at each of <paramref name="ks"/> and coverage over the seeds.</summary>
    public IReadOnlyList<ArmSummary> Compare(string study, IReadOnlyList<int> ks) =>
        StudyComparison.Summarize(Runs(new RunFilter(Study: study, Status: RunStatus.Finished)), ks);

    public void Dispose() => _connection.Dispose();

    private IEnumerable<string> RunFolders() =>
        Directory.EnumerateDirectories(Root).SelectMany(Directory.EnumerateDirectories).SelectMany(Directory.EnumerateDirectories)
            .Where(folder => RunFolderReader.Identify(folder) is not null).Order(StringComparer.Ordinal);

    private void Upsert(RunEntry entry, SqliteTransaction transaction)
    {
        var run = entry.Run;
        _connection.Execute(transaction, "INSERT INTO studies (name) VALUES ($study) ON CONFLICT (name) DO NOTHING", ("$study", run.Study));
        long id = (long)_connection.Scalar(transaction, """
            INSERT INTO runs (study_id, arm, seed, rl_seed, folder, status, stage, started, updated, config_hash, error)
            VALUES ((SELECT id FROM studies WHERE name = $study), $arm, $seed, $rl_seed, $folder, $status, $stage, $started, $updated, $hash, $error)
            ON CONFLICT (study_id, arm, seed, ifnull(rl_seed, -1)) DO UPDATE SET folder = excluded.folder, status = excluded.status, stage = excluded.stage,
                started = excluded.started, updated = excluded.updated, config_hash = excluded.config_hash, error = excluded.error
            RETURNING id
            """, ("$study", run.Study), ("$arm", run.Arm), ("$seed", run.Seed), ("$rl_seed", run.RlSeed), ("$folder", run.Folder), ("$status", run.Status), ("$stage", run.Stage),
            ("$started", Text(run.Started)), ("$updated", Text(run.Updated)), ("$hash", run.ConfigHash), ("$error", run.Error))!;

        _connection.Execute(transaction, "DELETE FROM configs WHERE run_id = $id", ("$id", id));
        if (entry.Config is not null)
            _connection.Execute(transaction, "INSERT INTO configs (run_id, json) VALUES ($id, $json)", ("$id", id), ("$json", entry.Config));
        _connection.Execute(transaction, "DELETE FROM metrics WHERE run_id = $id", ("$id", id));
        using var insert = _connection.Command(transaction, "INSERT INTO metrics (run_id, name, value) VALUES ($id, $name, $value)",
            ("$id", id), ("$name", ""), ("$value", 0.0));
        foreach (var (name, value) in entry.Metrics)
        {
            insert.Parameters["$name"].Value = name;
            insert.Parameters["$value"].Value = value;
            insert.ExecuteNonQuery();
        }
    }

    // Times are stored as ISO 8601 text in UTC, which sorts as it reads.
    private static string? Text(DateTimeOffset? time) => time?.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Time(SqliteDataReader row, int column) =>
        row.IsDBNull(column) ? null : DateTimeOffset.Parse(row.GetString(column), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static string? Text(SqliteDataReader row, int column) => row.IsDBNull(column) ? null : row.GetString(column);
}
