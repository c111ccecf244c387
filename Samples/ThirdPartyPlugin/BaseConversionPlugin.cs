using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rlvr;

namespace Contoso.Rlvr.BaseConversion;

/// <summary>The plugin's entry point: rlvr finds this one public IRlvrPlugin class, creates it and calls ConfigureServices.</summary>
public sealed class BaseConversionPlugin : IRlvrPlugin
{
    // Called once to list the components and again for every run: it keeps no state.
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) =>
        services.AddBaseConversion().AddTool<DivisionTool>("division");
}

public static class BaseConversionServiceCollectionExtensions
{
    /// <summary>
    /// Adds the base-conversion task and its verifier, both named <paramref name="name"/>, with the task's options
    /// bound from <paramref name="section"/> and checked before any run starts.
    /// </summary>
    public static IServiceCollection AddBaseConversion(this IServiceCollection services, string name = "base-conversion",
        string section = BaseConversionOptions.Section)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddTask<BaseConversionTask, BaseConversionOptions>(name, section)
            .Validate(o => o.MinDifficulty <= o.MaxDifficulty, $"{section}:MinDifficulty must be <= {section}:MaxDifficulty.")
            .Validate(o => o.MinBase <= o.MaxBase, $"{section}:MinBase must be <= {section}:MaxBase.")
            .Validate(o => o.MaxBase is < 2 or > 9 || BaseConversionTask.FitsNumberLimit(o.MaxBase, o.MaxDifficulty),
                $"{section}:MaxDifficulty is too large for {section}:MaxBase: every number must stay within {BaseConversionOptions.MaxNumber:N0} (9 digits).");
        return services.AddVerifier<BaseConversionVerifier>(name);
    }
}
