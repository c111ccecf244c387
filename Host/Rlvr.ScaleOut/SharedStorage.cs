// Every task of an array must see the same run root: the base model one task computes is what the others reuse, and a
// requeued task on another node must find its checkpoints. A path on a node's own memory or temp disk breaks that
// silently (each node would compute its own base, and a requeue would start over), so a submission refuses it.
namespace Rlvr.ScaleOut;

/// <summary>Tells node-local storage from storage the nodes share, by the mount's filesystem type.</summary>
public static class SharedStorage
{
    // Filesystems that live on one machine. Any of them is fine for a one-node cluster, except the memory-backed ones,
    // which a reboot or requeue may wipe.
    private static readonly HashSet<string> s_memory = ["tmpfs", "ramfs", "devtmpfs"];
    private static readonly HashSet<string> s_local = ["ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "overlay", "f2fs", "vfat", "exfat", .. s_memory];
    private static readonly string[] s_scratch = ["/tmp", "/var/tmp", "/dev/shm", "/run"];

    /// <summary>Why <paramref name="runRoot"/> cannot serve an array on <paramref name="nodes"/> nodes, or null when it can.</summary>
    /// <param name="runRoot">An absolute path.</param>
    /// <param name="filesystem">The filesystem type of the mount that holds it (<see cref="FilesystemOf"/>); null when unknown.</param>
    /// <param name="nodes">How many nodes the array may run on.</param>
    public static string? Problem(string runRoot, string? filesystem, int nodes)
    {
        if (s_scratch.FirstOrDefault(s => runRoot == s || runRoot.StartsWith(s + "/", StringComparison.Ordinal)) is { } scratch)
            return $"the run root {runRoot} is under {scratch}, a node's scratch space: tasks on other nodes, or a requeued task, would not see its base models and checkpoints. Put it on shared storage (e.g. --Run:RunRoot=/shared/runs)";
        if (filesystem is not null && s_memory.Contains(filesystem))
            return $"the run root {runRoot} is on {filesystem}, which lives in one node's memory and is lost on reboot. Put it on shared storage (e.g. --Run:RunRoot=/shared/runs)";
        if (filesystem is not null && nodes > 1 && s_local.Contains(filesystem))
            return $"the run root {runRoot} is on {filesystem}, a disk of this machine, but the partition has {nodes} nodes: tasks on the others would not see it. Put it on storage every node mounts (NFS, Lustre, GPFS, BeeGFS, CephFS)";
        return null;
    }

    /// <summary>The filesystem type of the mount holding <paramref name="path"/>, from /proc/self/mounts; null off Linux.</summary>
    public static string? FilesystemOf(string path)
    {
        const string mounts = "/proc/self/mounts";
        if (!File.Exists(mounts)) return null;
        string full = Path.GetFullPath(path);
        // The longest mount point that is a prefix of the path holds it; later lines shadow earlier ones at the same point.
        (string Point, string Type)? best = null;
        foreach (string line in File.ReadLines(mounts))
        {
            string[] fields = line.Split(' ');
            if (fields.Length < 3) continue;
            string point = fields[1].Replace("\\040", " ", StringComparison.Ordinal);
            bool holds = point == "/" || full == point || full.StartsWith(point + "/", StringComparison.Ordinal);
            if (holds && (best is null || point.Length >= best.Value.Point.Length)) best = (point, fields[2]);
        }
        return best?.Type;
    }
}
