namespace Rlvr.Host.Tests.Support;

/// <summary>
/// Tests that run two tiny studies in this process and compare their metrics bit for bit. A study sets libtorch's
/// thread count, which is global to the process; another test's study changing it mid-run changes the order of
/// float sums, so these run alone, after the parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialStudiesCollection
{
    public const string Name = "Studies compared bit for bit";
}
