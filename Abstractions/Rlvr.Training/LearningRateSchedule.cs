namespace Rlvr.Training;

/// <summary>Linear warm-up then cosine decay to a floor, as nanoGPT's get_lr.</summary>
public static class LearningRateSchedule
{
    /// <summary>The learning rate at zero-based <paramref name="step"/>: lr(s) = peak·(s+1)/W for s &lt; W; then min + ½(1 + cos(π·(s−W)/(S−W)))·(peak − min).</summary>
    public static double At(int step, int totalSteps, int warmupSteps, double peak, double min)
    {
        if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
        if (totalSteps <= warmupSteps) return peak;
        double progress = Math.Min(1.0, (double)(step - warmupSteps) / (totalSteps - warmupSteps));
        return min + 0.5 * (1.0 + Math.Cos(Math.PI * progress)) * (peak - min);
    }
}
