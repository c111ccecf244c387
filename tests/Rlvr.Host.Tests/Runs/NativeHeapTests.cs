using System.Runtime.InteropServices;
using Rlvr.Host.Runs;
using Rlvr.Host.Tests.Support;
using static TorchSharp.torch;

namespace Rlvr.Host.Tests.Runs;

/// <summary>The process keeps freed native memory for the next step's tensors, and large tensors lie on huge pages (Linux with glibc).</summary>
/// <remarks>Alone, so that no other test allocates or frees memory between two readings of the process's memory.</remarks>
[Collection(SerialStudiesCollection.Name)]
public sealed class NativeHeapTests
{
    [Fact]
    public void FreedTensorMemoryStaysWithTheProcessUnlessGlibcIsConfiguredFromTheEnvironment()
    {
        bool configuredOutside = NativeHeap.GlibcSettings.Any(v => Environment.GetEnvironmentVariable(v) is not null);
        bool kept = NativeHeap.KeepFreedMemory();
        if (!OperatingSystem.IsLinux() || configuredOutside)
        {
            Assert.False(kept);
            return;
        }
        Assert.True(kept);

        // 24 MB, below the 32 MiB threshold, written so that its pages are resident. glibc's default would have
        // returned it to the kernel at once (its threshold starts at 128 KB).
        GC.Collect();
        GC.WaitForPendingFinalizers();   // tensors other tests left to their finalizers are freed now, not between the readings
        long during, after;
        using (var block = full(6L << 20, 1f))
        {
            Assert.Equal(6L << 20, block.sum().item<float>());
            during = ResidentBytes();
        }
        after = ResidentBytes();
        Assert.True(after > during - (8L << 20), $"resident {during >> 20} MB with the block, {after >> 20} MB after freeing it");
    }

    [Fact]
    public void LargeTensorsLieOnHugePagesWhereTheKernelOffersThemUnlessTheEnvironmentSaysOtherwise()
    {
        bool setOutside = Environment.GetEnvironmentVariable(NativeHeap.HugePagesSetting) is not null;
        bool asked = NativeHeap.HugePagesForLargeTensors();   // this assembly's module initializer asked first, before any tensor
        if (!OperatingSystem.IsLinux() || setOutside)
        {
            Assert.False(asked);
            return;
        }
        Assert.True(asked);
        Assert.Equal("1", Marshal.PtrToStringUTF8(getenv(NativeHeap.HugePagesSetting)));   // where libtorch reads it
        if (File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled").Contains("[never]", StringComparison.Ordinal)) return;   // none on offer

        // 64 MB, above glibc's heap threshold: a fresh mapping, which libtorch advises the kernel to back with 2 MB pages.
        long before = MemoryLine("/proc/self/smaps_rollup", "AnonHugePages:"), during;
        using (var block = full(16L << 20, 1f))
        {
            Assert.Equal(16L << 20, block.sum().item<float>());
            during = MemoryLine("/proc/self/smaps_rollup", "AnonHugePages:");
        }
        Assert.True(during - before >= 2L << 20, $"huge pages {before >> 20} MB before the block, {during >> 20} MB with it");
    }

    private static long ResidentBytes() => MemoryLine("/proc/self/status", "VmRSS:");

    private static long MemoryLine(string file, string key) =>
        long.Parse(File.ReadLines(file).First(l => l.StartsWith(key, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern nint getenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
