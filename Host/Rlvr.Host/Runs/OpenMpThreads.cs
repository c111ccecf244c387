// How libtorch's OpenMP threads (libgomp) wait between parallel ops, in a process whose tensor work alternates libtorch
// ops with C# kernels that run on .NET's threads (the sampler's attention and residual-norm passes):
// - libgomp's default spins 300,000 times before it sleeps: through a C# kernel its idle thread holds the core that
//   the kernel's other half needs;
// - OMP_WAIT_POLICY=PASSIVE sleeps at once, so every op waits for its second thread to wake, on a VM a halted virtual
//   CPU (an add over 512 × 128 bfloat16 values: 14 µs on one thread, 68 µs on two);
// - a short spin, 3,000 times (GOMP_SPINCOUNT=3000), bridges the gaps between consecutive ops and gives the core
//   back during a kernel: on 2 threads it sampled faster than either (docs/benchmarks.md, "How OpenMP's threads wait").
// libgomp reads the variable when it loads, with libtorch, so it is set before the first tensor. One thread, as every
// study's worker processes run, never waits; numbers never change.
namespace Rlvr.Host.Runs;

/// <summary>Asks libgomp for a short spin before its idle threads sleep, unless the environment chooses how they wait (Linux).</summary>
public static class OpenMpThreads
{
    /// <summary>The environment variables that choose how libgomp's threads wait; where one is set, it is honoured and nothing is set.</summary>
    public static readonly string[] WaitSettings = ["OMP_WAIT_POLICY", "GOMP_SPINCOUNT"];

    /// <summary>The spins before an idle thread sleeps.</summary>
    public const string SpinCount = "3000";

    private static readonly Lazy<bool> Short = new(() => NativeRuntime.UnlessChosen(WaitSettings, () => NativeRuntime.SetForNativeCode("GOMP_SPINCOUNT", SpinCount)));

    /// <summary>Applies the setting; call before the process's first tensor (<see cref="NativeRuntime.Configure"/> does).</summary>
    public static void Configure() => _ = SpinBriefly();

    /// <summary>
    /// True where this process asked libgomp for a short spin: applied once, by the first call, and effective only if
    /// that precedes libtorch's loading. False where the environment chooses how the threads wait.
    /// </summary>
    public static bool SpinBriefly() => Short.Value;
}
