namespace Rlvr.Index;

/// <summary>What a sync did.</summary>
/// <param name="Runs">How many run folders it indexed.</param>
/// <param name="Removed">How many runs it dropped from the index because their folders are gone.</param>
/// <param name="Problems">Each file, or line of metrics.jsonl, that could not be read, with the path and why; it was treated as absent.</param>
public sealed record SyncReport(int Runs, int Removed, IReadOnlyList<string> Problems);
