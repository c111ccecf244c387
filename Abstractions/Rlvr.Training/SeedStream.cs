// Counter-based seeding: the n-th draw of a stream is a function of (seed, n) alone. A component that keeps only its
// counter can be checkpointed as a number, and a resumed run that restores the counter draws exactly what the
// uninterrupted run would have drawn.
namespace Rlvr.Training;

/// <summary>Seeds for the draws of a seeded stream, one per counter value.</summary>
public static class SeedStream
{
    /// <summary>SplitMix64 of (<paramref name="seed"/>, <paramref name="counter"/>): well-spread seeds for consecutive counters.</summary>
    public static ulong Mix(long seed, long counter)
    {
        ulong z = unchecked((ulong)seed + (ulong)(counter + 1) * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A <see cref="System.Random"/> for draw <paramref name="counter"/> of the stream <paramref name="seed"/>.</summary>
    public static Random Random(long seed, long counter) => new((int)(Mix(seed, counter) & int.MaxValue));
}
