using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Rlvr;

/// <summary>
/// Registers the curricula <c>"mixture"</c>, <c>"staged"</c>, <c>"adaptive"</c> and <c>"success-rate"</c>, options from
/// <c>Curricula:Mixture</c>, <c>Curricula:Staged</c>, <c>Curricula:Adaptive</c> and <c>Curricula:SuccessRate</c>.
/// </summary>
public sealed class CurriculaPlugin : IRlvrPlugin
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) => services.AddRlvrCurricula();
}
