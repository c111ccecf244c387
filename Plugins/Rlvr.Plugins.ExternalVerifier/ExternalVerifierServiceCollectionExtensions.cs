using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Rlvr.Plugins.ExternalVerifier;
using Rlvr.Tasks;

namespace Rlvr;

public static class ExternalVerifierServiceCollectionExtensions
{
    /// <summary>
    /// Adds the external-program verifier under <paramref name="name"/>, options bound from <paramref name="section"/>;
    /// a <c>Command</c> that names no program is an error naming the key and the path looked at.
    /// </summary>
    public static IServiceCollection AddExternalVerifier(this IServiceCollection services, string name = "external", string section = "Verifiers:External")
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddComponent<IVerifier, ExternalVerifier, ExternalVerifierOptions>(name, section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExternalVerifierOptions>>(new ProgramValidator(section)));
        return services;
    }
}
