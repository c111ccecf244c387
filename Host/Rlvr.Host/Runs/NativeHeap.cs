// glibc's malloc, as libtorch's CPU allocator uses it, tuned for a process that allocates and frees the same tensors
// every step. By default glibc hands freed memory back to the kernel as soon as 128 KB sit free at the top of a heap,
// and serves blocks above an adaptive threshold with fresh mmaps, so a decode step's megabyte-sized activations are
// page-faulted in again at every step. On a 2-core VM that cost more than the arithmetic: a 2,048-row MLP at d = 128
// took 14 ms against 3.5 ms for its three ops timed apart, and one-query attention written as two matmuls 11 ms
// against 3 (docs/benchmarks.md, "The allocator"). Kept memory is reused, so the resident size stays at the run's
// peak rather than rising and falling; numbers do not change, since no kernel sees a difference.
using System.Runtime.InteropServices;

namespace Rlvr.Host.Runs;

/// <summary>Keeps freed native memory in the process (Linux with glibc); elsewhere a no-op.</summary>
public static class NativeHeap
{
    private const int TrimThreshold = -1, TopPad = -2, MmapThreshold = -3;   // mallopt's parameter numbers (malloc.h)

    /// <summary>The environment variables with which glibc's own settings are chosen; where one is set, it is honoured and nothing here changes.</summary>
    public static readonly string[] GlibcSettings = ["MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_THRESHOLD_", "GLIBC_TUNABLES"];

    private static readonly Lazy<bool> Applied = new(Apply);

    /// <summary>True where the process now keeps freed memory: applied once, by the first call.</summary>
    public static bool KeepFreedMemory() => Applied.Value;

    private static bool Apply()
    {
        if (!OperatingSystem.IsLinux() || GlibcSettings.Any(v => Environment.GetEnvironmentVariable(v) is not null)) return false;
        try
        {
            // Blocks up to 32 MiB (glibc's largest allowed threshold on 64-bit) come from the heap, and the heap keeps
            // up to 1 GiB free rather than returning it; it grows 64 MiB at a time.
            return mallopt(MmapThreshold, 32 << 20) == 1 && mallopt(TrimThreshold, 1 << 30) == 1 && mallopt(TopPad, 64 << 20) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;   // not glibc (musl, for one): its allocator is left as it is
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
