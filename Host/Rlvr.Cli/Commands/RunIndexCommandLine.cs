using System.CommandLine;
using Microsoft.Data.Sqlite;
using Rlvr.Host.Configuration;
using Rlvr.Index;
using Rlvr.Host.Runs;

namespace Rlvr.Cli.Commands;

/// <summary>What the verbs over the run index share: an index brought up to the run folders.</summary>
internal static class RunIndexCommandLine
{

    /// <summary>Opens the index of <paramref name="root"/> and syncs it from the run folders, warning on stderr of each file it could not read.</summary>
    public static RunIndex OpenSynced(string root)
    {
        if (!Directory.Exists(root))
            throw new ConfigurationErrorsException($"--runs: '{Path.GetFullPath(root)}' does not exist; run a study first, or name the runs folder");
        var index = new RunIndex(root);
        if (index.Rebuilt is not null) Console.Error.WriteLine($"warning: {index.Rebuilt}");
        try
        {
            foreach (string problem in index.Sync().Problems) Console.Error.WriteLine($"warning: {problem}");
            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <summary>Runs a verb's body as <see cref="CommandLine.Run"/> does, also turning a failing index into a message and exit code 1.</summary>
    public static int Run(Func<int> body) => CommandLine.Run(() =>
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is SqliteException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: the run index: {e.Message}");
            return 1;
        }
    });
}
