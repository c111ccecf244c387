// Options of the "success-rate" curriculum, bound from "Curricula:SuccessRate". The band rule lives in AddRlvrCurricula.
using System.ComponentModel.DataAnnotations;

namespace Rlvr.Plugins.Curricula;

/// <summary>A pool of problems, drawn in proportion to how learnable each is now: p(1 − p) plus a floor.</summary>
public sealed class SuccessRateOptions
{
    public const string Section = "Curricula:SuccessRate";

    [Range(1, 1_000_000)] public int PoolSize { get; set; } = 256;             // distinct problems in the pool
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double Decay { get; set; } = 0.5;                                   // p ← Decay·p + (1 − Decay)·score; 0 keeps only the last score
    [Range(0.0, 1.0)] public double Prior { get; set; } = 0.5;                 // p of a problem not yet observed
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double Floor { get; set; } = 0.01;                                  // added to every weight, so no problem is starved
    [Range(0, 1000)] public int MinDifficulty { get; set; }                    // pool band; 0: the source's easiest
    [Range(0, 1000)] public int MaxDifficulty { get; set; }                    // 0: the source's hardest
    [Range(0, 1_000_000)] public int RefreshEvery { get; set; }                // calls of Next between refreshes; 0: never
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double RefreshShare { get; set; } = 0.1;                            // share of the pool replaced at a refresh, least learnable first
}
