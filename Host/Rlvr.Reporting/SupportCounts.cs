namespace Rlvr.Reporting;

/// <summary>Distinct correct completions ("paths") of base and arm: kept by both, only the base's, only the arm's.</summary>
/// <param name="Preserved">Paths both sampled.</param>
/// <param name="Lost">Paths the base sampled and the arm never did.</param>
/// <param name="New">Paths the arm sampled and the base never did.</param>
public sealed record SupportCounts(double Preserved, double Lost, double New)
{
    public static SupportCounts Zero { get; } = new(0, 0, 0);

    /// <summary>The base's distinct correct paths.</summary>
    public double BasePaths => Preserved + Lost;

    /// <summary>The arm's distinct correct paths.</summary>
    public double ArmPaths => Preserved + New;

    public static SupportCounts operator +(SupportCounts a, SupportCounts b) => new(a.Preserved + b.Preserved, a.Lost + b.Lost, a.New + b.New);

    public SupportCounts Scale(double factor) => new(Preserved * factor, Lost * factor, New * factor);
}
