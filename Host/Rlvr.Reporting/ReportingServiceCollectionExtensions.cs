using Microsoft.Extensions.DependencyInjection;

namespace Rlvr.Reporting;

/// <summary>Registers the reports' options with a run's host.</summary>
public static class ReportingServiceCollectionExtensions
{
    /// <summary>Binds and validates <see cref="DoseResponseOptions"/>, so a bad <c>DoseResponse</c> key stops a study before any compute.</summary>
    public static IServiceCollection AddReporting(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddComponentOptions<DoseResponseOptions>(DoseResponseOptions.Section);
        return services;
    }
}
