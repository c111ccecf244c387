// The index's tables. The index is a cache of the run folders, so an index of an older version is not migrated:
// its tables are dropped and the next sync fills the new ones from the files. Raise Version whenever the tables,
// or what goes in them, change.
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Rlvr.Index;

internal static class RunIndexSchema
{
    /// <summary>The schema this build writes, kept in <c>PRAGMA user_version</c>.</summary>
    public const int Version = 2;

    private const string Tables = """
        CREATE TABLE studies (
            id   INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE);
        CREATE TABLE runs (
            id          INTEGER PRIMARY KEY,
            study_id    INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
            arm         TEXT NOT NULL,
            seed        INTEGER NOT NULL,
            rl_seed     INTEGER,
            folder      TEXT NOT NULL,
            status      TEXT NOT NULL,
            stage       TEXT,
            started     TEXT,
            updated     TEXT,
            config_hash TEXT,
            error       TEXT);
        -- A run without an RL seed (null) is one run of its seed, as much as one with.
        CREATE UNIQUE INDEX runs_key ON runs (study_id, arm, seed, ifnull(rl_seed, -1));
        CREATE TABLE configs (
            run_id INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
            json   TEXT NOT NULL);
        CREATE TABLE metrics (
            run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            name   TEXT NOT NULL,
            value  REAL NOT NULL,
            PRIMARY KEY (run_id, name)) WITHOUT ROWID;
        """;

    /// <summary>The index is not a sound SQLite file of this schema: not SQLite, truncated, or a table missing.</summary>
    public sealed class DamagedException(string message) : Exception(message);

    /// <summary>Checks the file's pages and that every table is there.</summary>
    /// <exception cref="DamagedException">They are not.</exception>
    public static void Check(SqliteConnection connection)
    {
        var errors = connection.Query(null, "PRAGMA quick_check", row => row.GetString(0));
        if (errors is not ["ok"]) throw new DamagedException(string.Join("; ", errors.Take(3)));
        var present = connection.Query(null, "SELECT name FROM sqlite_master WHERE type = 'table'", row => row.GetString(0));
        var missing = Regex.Matches(Tables, @"CREATE TABLE (\w+)").Select(m => m.Groups[1].Value).Except(present).ToList();
        if (missing.Count > 0) throw new DamagedException($"table {string.Join(", ", missing)} missing");
    }

    /// <summary>Creates the tables of this version, replacing those of an older one.</summary>
    /// <exception cref="InvalidDataException">The index was written by a newer build, with a schema this one does not know.</exception>
    public static void Apply(SqliteConnection connection)
    {
        if ((long)connection.Scalar(null, "PRAGMA user_version")! == Version) return;
        // BEGIN IMMEDIATE: of several processes opening a new index at once, one creates the tables, the others wait and see them.
        using var transaction = connection.BeginTransaction(deferred: false);
        long version = (long)connection.Scalar(transaction, "PRAGMA user_version")!;
        if (version == Version) return;
        if (version > Version)
            throw new InvalidDataException($"{connection.DataSource}: the run index has schema version {version}, newer than this build's {Version}; " +
                                           "use the newer rlvr, or delete the file (the next sync rebuilds it from the run folders).");
        var old = connection.Query(transaction, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", row => row.GetString(0));
        // Foreign keys are not enforced yet on this connection, so the tables can go in any order.
        foreach (string table in old) connection.Execute(transaction, $"DROP TABLE \"{table}\"");
        connection.Execute(transaction, Tables);
        connection.Execute(transaction, $"PRAGMA user_version = {Version}");
        transaction.Commit();
    }
}
