namespace Rlvr.Host.Tests.Support;

/// <summary>
/// Tests that must run alone, after the parallel tests: those that run two tiny studies in this process and compare
/// their metrics bit for bit (a study sets libtorch's thread count, which is global to the process; another test's
/// study changing it mid-run changes the order of float sums), and those that read the process's resident memory.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialStudiesCollection
{
    public const string Name = "Run alone";
}
