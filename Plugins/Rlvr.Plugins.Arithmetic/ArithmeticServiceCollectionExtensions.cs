using Microsoft.Extensions.DependencyInjection;
using Rlvr.Plugins.Arithmetic;

namespace Rlvr;

public static class ArithmeticServiceCollectionExtensions
{
    /// <summary>Adds the arithmetic task and its verifier under <paramref name="name"/>, options bound from <paramref name="section"/>.</summary>
    public static IServiceCollection AddArithmetic(this IServiceCollection services, string name = "arithmetic", string section = "Tasks:Arithmetic")
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddTask<ArithmeticTask, ArithmeticOptions>(name, section)
            .Validate(o => o.MinDifficulty <= o.MaxDifficulty,
                $"{section}:MinDifficulty must be <= {section}:MaxDifficulty.")
            .Validate(o => o.Generator != ArithmeticOptions.ChainSum || o.MinDifficulty >= 2,
                $"{section}:MinDifficulty must be >= 2 for the chain-sum generator: its difficulty is the number of terms.")
            .Validate(o => o.Generator != ArithmeticOptions.DependencyGraph || o.MaxConstant <= o.MaxOperand,
                $"{section}:MaxConstant must be <= {section}:MaxOperand for the dependency-graph generator: a literal is a value too.");
        return services.AddVerifier<ArithmeticVerifier>(name);
    }

    /// <summary>Adds the calculator the model may call in its text (<c>&lt;47+1=</c> gets <c>48&gt;</c>) under <paramref name="name"/>.</summary>
    public static IServiceCollection AddCalculator(this IServiceCollection services, string name = "calculator") =>
        services.AddTool<CalculatorTool>(name);
}
