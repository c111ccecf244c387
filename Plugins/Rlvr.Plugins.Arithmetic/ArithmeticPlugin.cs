using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Rlvr;

/// <summary>Registers the arithmetic task and its verifier as <c>"arithmetic"</c>, options from <c>"Tasks:Arithmetic"</c>, and the <c>"calculator"</c> tool.</summary>
public sealed class ArithmeticPlugin : IRlvrPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) => services.AddArithmetic().AddCalculator();
}
