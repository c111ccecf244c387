// Options of the "staged" curriculum, bound from "Curricula:Staged". Rules for each stage live in AddRlvrCurricula.
namespace Rlvr.Plugins.Curricula;

/// <summary>A schedule of difficulty bands by step, a step being one call of <c>Next</c>.</summary>
public sealed class StagedOptions
{
    public const string Section = "Curricula:Staged";

    public List<Stage> Stages { get; set; } = [];   // in the order they start; the first from step 0
}

/// <summary>A band of difficulties in force from step <see cref="FromStep"/> until the next stage starts.</summary>
public sealed class Stage : Band
{
    public int FromStep { get; set; }
}
