// An inclusive band of difficulties, as a list element of a curriculum's options (a mixture band, a stage).
using Rlvr.Tasks;

namespace Rlvr.Plugins.Curricula;

/// <summary>The difficulties <see cref="Min"/> to <see cref="Max"/>, both included.</summary>
public class Band
{
    public int Min { get; set; }
    public int Max { get; set; }

    /// <summary>The band as a range (a method, not a property, so the binder sees no key "Range").</summary>
    public DifficultyRange ToRange() => new(Min, Max);
}
