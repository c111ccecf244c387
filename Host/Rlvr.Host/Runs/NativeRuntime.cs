// The native settings a process applies before its first tensor: its allocators' (NativeHeap) and how libtorch's
// OpenMP threads wait (OpenMpThreads). Each is a variable or a call that native code reads once; where the environment
// already chooses a setting, that choice is honoured and nothing is changed. Numbers never depend on them.
using System.Runtime.InteropServices;

namespace Rlvr.Host.Runs;

/// <summary>Applies the native settings for tensor work (Linux with glibc); elsewhere a no-op.</summary>
public static class NativeRuntime
{
    /// <summary>Applies every setting, once; call before the process's first tensor, which loads libtorch.</summary>
    public static void Configure()
    {
        NativeHeap.Configure();
        OpenMpThreads.Configure();
    }

    // Makes a C library call, on Linux, unless one of the variables that choose the setting is in the environment; false
    // where it was not made or failed, or where the C library is not glibc (musl, for one), which is left as it is.
    internal static bool UnlessChosen(string[] chosenBy, Func<bool> call)
    {
        if (!OperatingSystem.IsLinux() || chosenBy.Any(v => Environment.GetEnvironmentVariable(v) is not null)) return false;
        try
        {
            return call();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // Sets a variable where native code reads it, the C environment, which Environment.SetEnvironmentVariable does not
    // change on Unix. Child processes make their own choice when they build their hosts.
    internal static bool SetForNativeCode(string name, string value) => setenv(name, value, 0) == 0;

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
