namespace Rlvr.Objectives;

/// <summary>
/// The knobs of a policy-gradient objective that the built-in parts read, taken from the algorithm's configuration
/// section. A part that needs a knob of its own binds its own options (see <see cref="RlvrServiceCollectionExtensions.AddComponentOptions{TOptions}"/>).
/// </summary>
/// <param name="ClipLow">ε_low: the importance ratio may fall to 1 − ε_low.</param>
/// <param name="ClipHigh">ε_high: the importance ratio may rise to 1 + ε_high.</param>
/// <param name="DualClip">c of dual-clip PPO for negative advantages; 0 turns it off.</param>
/// <param name="Scale">What a group advantage is divided by: "group", "batch" or "none".</param>
/// <param name="Epsilon">Added to a standard deviation before dividing by it.</param>
/// <param name="K">k of the pass@k advantage.</param>
/// <param name="Gamma">Discount γ of GAE.</param>
/// <param name="Lambda">λ of GAE.</param>
public sealed record ObjectiveSettings(
    double ClipLow = 0.2,
    double ClipHigh = 0.2,
    double DualClip = 0,
    string Scale = "group",
    double Epsilon = 1e-6,
    int K = 4,
    double Gamma = 1.0,
    double Lambda = 0.95);
