using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rlvr.Host.Runs;

namespace Rlvr.Index;

/// <summary>Registers the run index with a run's host.</summary>
public static class RunIndexServiceCollectionExtensions
{
    /// <summary>Every run keeps its row of the run index (<see cref="RunPaths.IndexFile"/> in its runs root) current as it goes.</summary>
    public static IServiceCollection AddRunIndex(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRunStatusListener, RunIndexUpdater>());
        return services;
    }
}
