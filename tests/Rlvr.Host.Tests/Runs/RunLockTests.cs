using Microsoft.Extensions.Logging.Abstractions;
using Rlvr.Host.Runs;

namespace Rlvr.Host.Tests.Runs;

public sealed class RunLockTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlvr-lock-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task ASecondHolderWaitsUntilTheFirstReleases()
    {
        string folder = Path.Combine(_root, "base", "seed-1");
        RunLock.Poll = TimeSpan.FromMilliseconds(20);
        var first = RunLock.Acquire(folder, NullLogger.Instance);

        var second = Task.Run(() => RunLock.Acquire(folder, NullLogger.Instance));
        await Task.Delay(300);
        Assert.False(second.IsCompleted);   // still waiting
        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        Assert.Equal(Path.Combine(_root, "base", "seed-1.lock"), RunLock.FileOf(folder));
    }

    [Fact]
    public void LocksOfDifferentRunsDoNotWaitForEachOther()
    {
        using var one = RunLock.Acquire(Path.Combine(_root, "grpo", "seed-1"), NullLogger.Instance);
        using var other = RunLock.Acquire(Path.Combine(_root, "grpo", "seed-2"), NullLogger.Instance);
    }

    [Fact]
    public void WaitingStopsWhenCancelled()
    {
        string folder = Path.Combine(_root, "ppo", "seed-3");
        using var held = RunLock.Acquire(folder, NullLogger.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Assert.ThrowsAny<OperationCanceledException>(() => RunLock.Acquire(folder, NullLogger.Instance, stop.Token));
    }
}
