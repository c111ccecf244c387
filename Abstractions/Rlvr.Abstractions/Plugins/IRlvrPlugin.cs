using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Rlvr;

/// <summary>
/// The entry point of a plugin assembly. The host finds the one public, non-abstract type that implements
/// this interface, creates it with its parameterless constructor and calls <see cref="ConfigureServices"/>.
/// </summary>
/// <remarks>
/// Register components with the <c>Add*</c> methods of <see cref="RlvrServiceCollectionExtensions"/>, each under a
/// name that studies use to pick it. <see cref="ConfigureServices"/> may be called once for every run the host
/// composes, each time with a fresh service collection, so it must not keep state between calls.
/// An exception thrown here fails this plugin alone: the host reports it by name and loads the others.
/// </remarks>
public interface IRlvrPlugin
{
    /// <summary>Registers this plugin's named components and binds their options.</summary>
    /// <param name="services">The host's service collection for one run.</param>
    /// <param name="configuration">The run's configuration, for registrations that depend on it.</param>
    void ConfigureServices(IServiceCollection services, IConfiguration configuration);
}
