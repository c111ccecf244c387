// Native memory for a process that allocates and frees the same tensors every step (Linux with glibc). Two settings,
// each applied once, before the first tensor:
//
// - glibc keeps freed memory. By default glibc hands freed memory back to the kernel as soon as 128 KB sit free at the
//   top of a heap, and serves blocks above an adaptive threshold with fresh mmaps, so a decode step's megabyte-sized
//   activations are page-faulted in again at every step. On a 2-core VM a 2,048-row MLP at d = 128 took 14 ms against
//   3.5 ms for its three ops timed apart (docs/benchmarks.md, "The allocator").
// - libtorch backs tensors of 2 MB or more with transparent huge pages (its allocator reads THP_MEM_ALLOC_ENABLE at its
//   first allocation and then madvises such blocks). Blocks above glibc's largest heap threshold (32 MiB: a prefill's
//   activations, a decode step's keys and values made contiguous, a cache's buffer) are fresh mappings whatever glibc
//   keeps, and on a VM every 4 KB page of them cost microseconds to fault in: a GELU over 84 MB took 176 ms, 14 with
//   huge pages, and S1's evaluations ran 1.4-1.5x faster ("Huge pages", beside it). The kernel must offer them
//   (transparent_hugepage at madvise or always); where it does not, the setting changes nothing.
//
// Numbers do not change, since no kernel sees a difference. Kept memory is reused, so the resident size stays at the
// run's peak rather than rising and falling.
using System.Runtime.InteropServices;

namespace Rlvr.Host.Runs;

/// <summary>Tunes the native allocators for tensor work (Linux with glibc); elsewhere a no-op.</summary>
public static class NativeHeap
{
    private const int TrimThreshold = -1, TopPad = -2, MmapThreshold = -3;   // mallopt's parameter numbers (malloc.h)

    /// <summary>The environment variables with which glibc's own settings are chosen; where one is set, it is honoured and glibc is left alone.</summary>
    public static readonly string[] GlibcSettings = ["MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_THRESHOLD_", "GLIBC_TUNABLES"];

    /// <summary>libtorch's switch for huge pages under large CPU tensors (c10/core/alloc_cpu.cpp); where set, its value is honoured.</summary>
    public const string HugePagesSetting = "THP_MEM_ALLOC_ENABLE";

    // Blocks up to 32 MiB (glibc's largest allowed threshold on 64-bit) come from the heap, and the heap keeps up to
    // 1 GiB free rather than returning it; it grows 64 MiB at a time.
    private static readonly Lazy<bool> Kept = new(() => NativeRuntime.UnlessChosen(GlibcSettings,
        () => mallopt(MmapThreshold, 32 << 20) == 1 && mallopt(TrimThreshold, 1 << 30) == 1 && mallopt(TopPad, 64 << 20) == 1));

    // libtorch reads the variable with getenv, at its first allocation.
    private static readonly Lazy<bool> Huge = new(() => NativeRuntime.UnlessChosen([HugePagesSetting], () => NativeRuntime.SetForNativeCode(HugePagesSetting, "1")));

    /// <summary>Applies both settings; call before the process's first tensor (<see cref="NativeRuntime.Configure"/> does).</summary>
    public static void Configure()
    {
        _ = KeepFreedMemory();
        _ = HugePagesForLargeTensors();
    }

    /// <summary>True where the process now keeps freed memory: applied once, by the first call.</summary>
    public static bool KeepFreedMemory() => Kept.Value;

    /// <summary>
    /// True where this process asked libtorch for huge pages under large tensors: applied once, by the first call, and
    /// effective only if that precedes libtorch's first allocation. False where the setting came from the environment.
    /// </summary>
    public static bool HugePagesForLargeTensors() => Huge.Value;

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
