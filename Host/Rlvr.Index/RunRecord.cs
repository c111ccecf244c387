namespace Rlvr.Index;

/// <summary>One run as the index lists it: which run, where its files are and how far it got.</summary>
/// <param name="Folder">The run folder, a full path: <c>&lt;runs root&gt;/&lt;study&gt;/&lt;arm&gt;/seed-&lt;n&gt;</c>, with <c>-rl-&lt;r&gt;</c> for an RL seed.</param>
/// <param name="Status">running, finished or failed, from status.json; without it, finished when evaluation.json can be read, else unknown.</param>
/// <param name="Stage">pretrain, evaluate, train or done, from status.json; null without it.</param>
/// <param name="Started">From status.json; without it, when the oldest of the run's files was written.</param>
/// <param name="Updated">From status.json; without it, when the newest of the run's files was written.</param>
/// <param name="Error">Why the run failed, from status.json.</param>
/// <param name="RlSeed">An arm run's RL seed under base seed <paramref name="Seed"/>; null for a run without one.</param>
public sealed record RunRecord(string Study, string Arm, int Seed, string Folder, string Status, string? Stage,
    DateTimeOffset? Started, DateTimeOffset? Updated, string? ConfigHash, string? Error, int? RlSeed = null);
