namespace Rlvr.Tasks;

/// <summary>A task whose held-out problems are given, such as a test split read from a file, not drawn from its generator.</summary>
/// <remarks>
/// The host evaluates on these problems, in order, instead of drawing a held-out set from
/// <see cref="IProblemGenerator.Generate"/>, and still keeps every one of them out of training by id. An empty list
/// means the task has no such split: the host draws the held-out set as for any task.
/// </remarks>
public interface IHeldOutSplit
{
    /// <summary>The held-out problems, in a fixed order; the same for every seed.</summary>
    IReadOnlyList<Problem> HeldOut { get; }
}
