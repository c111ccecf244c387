using System.Runtime.CompilerServices;
using Rlvr.Host.Runs;

namespace Rlvr.Host.Tests.Support;

internal static class NativeRuntimeInitializer
{
    /// <summary>As a study's process does when it builds its host: before the first tensor, so libtorch sees the settings.</summary>
    [ModuleInitializer]
    internal static void Configure() => NativeRuntime.Configure();
}
