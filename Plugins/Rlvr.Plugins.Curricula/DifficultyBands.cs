// Difficulty bands against the source: a band is checked when the curriculum draws, the first moment the task's
// range is known (options are validated before any task exists).
using Rlvr.Tasks;

namespace Rlvr.Plugins.Curricula;

internal static class DifficultyBands
{
    /// <summary>A difficulty drawn uniformly from <paramref name="band"/>, both ends included.</summary>
    public static int Uniform(DifficultyRange band, Random random) => random.Next(band.Min, band.Max + 1);

    /// <summary>
    /// The ranges of <paramref name="bands"/>, the list at <paramref name="path"/>. All are checked on every call, so a
    /// band outside the task fails the first draw rather than the step it would come into use.
    /// </summary>
    /// <exception cref="InvalidOperationException">The list is empty (the message shows <paramref name="example"/>), or a band leaves <paramref name="source"/>.</exception>
    public static DifficultyRange[] AllWithin(IReadOnlyList<Band> bands, DifficultyRange source, string path, string example)
    {
        if (bands.Count == 0)
            throw new InvalidOperationException($"{path} is empty: give at least one, for example [{example}].");
        return bands.Select((band, i) => Within(band.ToRange(), source, $"{path}:{i}")).ToArray();
    }

    /// <summary><paramref name="band"/> itself, when it lies within <paramref name="source"/>.</summary>
    /// <exception cref="InvalidOperationException">It does not; the message names <paramref name="key"/>.</exception>
    public static DifficultyRange Within(DifficultyRange band, DifficultyRange source, string key) =>
        band.Min >= source.Min && band.Max <= source.Max && band.Min <= band.Max
            ? band
            : throw new InvalidOperationException($"{key} = {band}: must lie within the task's difficulties {source}.");
}
