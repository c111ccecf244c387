namespace Rlvr.Index;

/// <summary>Which runs a listing keeps; a null field keeps every value.</summary>
public sealed record RunFilter(string? Study = null, string? Arm = null, string? Status = null, int? Seed = null);
