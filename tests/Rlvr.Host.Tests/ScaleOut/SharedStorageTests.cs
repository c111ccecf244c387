using Rlvr.ScaleOut;

namespace Rlvr.Host.Tests.ScaleOut;

public sealed class SharedStorageTests
{
    [Theory]
    [InlineData("/shared/runs", "nfs4", 16, null)]
    [InlineData("/lustre/me/runs", "lustre", 400, null)]
    [InlineData("/home/me/runs", "ext4", 1, null)]                 // one node: its own disk is shared with itself
    [InlineData("/home/me/runs", null, 8, null)]                   // unknown filesystem: not refused
    [InlineData("/home/me/runs", "ext4", 8, "a disk of this machine, but the partition has 8 nodes")]
    [InlineData("/scratch/runs", "xfs", 2, "a disk of this machine")]
    [InlineData("/mnt/ram/runs", "tmpfs", 1, "is on tmpfs, which lives in one node's memory")]
    [InlineData("/tmp/runs", "ext4", 1, "is under /tmp, a node's scratch space")]
    [InlineData("/dev/shm", "tmpfs", 1, "is under /dev/shm")]
    [InlineData("/tmpfiles/runs", "nfs", 4, null)]                 // a prefix of the name is not the folder
    public void NodeLocalRunRootsAreRefusedWithTheReason(string root, string? filesystem, int nodes, string? problem)
    {
        string? found = SharedStorage.Problem(root, filesystem, nodes);

        if (problem is null) Assert.Null(found);
        else Assert.Contains(problem, found);
    }

    [Fact]
    public void TheRootFolderIsOnSomeFilesystem() =>
        Assert.False(string.IsNullOrEmpty(SharedStorage.FilesystemOf("/")));

    [Fact]
    public void ProcIsOnProc() => Assert.Equal("proc", SharedStorage.FilesystemOf("/proc/self"));
}
