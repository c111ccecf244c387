using Rlvr.Host.Runs;
using Rlvr.Host.Tests.Support;
using static TorchSharp.torch;

namespace Rlvr.Host.Tests.Runs;

/// <summary>The process keeps freed native memory for the next step's tensors (Linux with glibc).</summary>
/// <remarks>Alone, so that no other test frees memory between the two readings of the resident size.</remarks>
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

    private static long ResidentBytes() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
}
