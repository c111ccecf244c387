namespace Rlvr.Host.Tests.Support;

/// <summary>
/// A fresh folder for a test's run root that `rlvr submit` accepts as shared storage: not under /tmp, which it refuses
/// as node-local scratch space (the repository itself may be cloned under /tmp). The home folder, else /var/lib.
/// </summary>
internal static class SharedTestFolder
{
    public static string Create(string purpose)
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string root = Path.IsPathRooted(home) && !home.StartsWith("/tmp", StringComparison.Ordinal) ? home : "/var/lib";
        return Directory.CreateDirectory(Path.Combine(root, ".rlvr-tests", purpose, Guid.NewGuid().ToString("N"))).FullName;
    }
}
