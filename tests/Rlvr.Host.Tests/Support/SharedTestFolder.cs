namespace Rlvr.Host.Tests.Support;

/// <summary>
/// A fresh folder for a test's run root that `rlvr submit` accepts as shared storage: under the home folder, not
/// under /tmp, which it refuses as node-local scratch space (the repository itself may be cloned under /tmp).
/// </summary>
internal static class SharedTestFolder
{
    public static string Create(string purpose) =>
        Directory.CreateDirectory(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".rlvr-tests", purpose, Guid.NewGuid().ToString("N"))).FullName;
}
