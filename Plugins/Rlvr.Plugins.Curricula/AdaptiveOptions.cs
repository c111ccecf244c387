// Options of the "adaptive" curriculum, bound from "Curricula:Adaptive". Lower < Upper is checked in AddRlvrCurricula.
using System.ComponentModel.DataAnnotations;

namespace Rlvr.Plugins.Curricula;

/// <summary>One current difficulty that moves up or down with the mean score of recent problems.</summary>
public sealed class AdaptiveOptions
{
    public const string Section = "Curricula:Adaptive";

    [Range(0, 1000)] public int StartDifficulty { get; set; }                 // 0: the source's easiest difficulty
    [Range(1, 100_000)] public int Window { get; set; } = 20;                  // scores of the current level averaged before a move
    [Range(-1000.0, 1000.0)] public double Upper { get; set; } = 0.7;          // a mean above it moves one level up
    [Range(-1000.0, 1000.0)] public double Lower { get; set; } = 0.1;          // a mean below it moves one level down
}
