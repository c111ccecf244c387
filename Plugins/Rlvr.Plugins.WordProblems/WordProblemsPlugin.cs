using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Plugins.WordProblems;

namespace Rlvr;

/// <summary>Registers the JSONL word-problem task and its verifier as <c>"word-problems"</c>, options from <c>"Tasks:WordProblems"</c>.</summary>
public sealed class WordProblemsPlugin : IRlvrPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) => services.AddWordProblems();
}

public static class WordProblemsServiceCollectionExtensions
{
    /// <summary>Adds the word-problem task and its verifier under <paramref name="name"/>, options bound from <paramref name="section"/>.</summary>
    public static IServiceCollection AddWordProblems(this IServiceCollection services, string name = "word-problems", string section = WordProblemsOptions.Section)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddTask<WordProblemsTask, WordProblemsOptions>(name, section)
            .Validate(o => string.IsNullOrEmpty(o.TrainFile) || File.Exists(o.TrainFile), $"{section}:TrainFile: no such file.")
            .Validate(o => string.IsNullOrEmpty(o.HeldOutFile) || File.Exists(o.HeldOutFile), $"{section}:HeldOutFile: no such file.")
            .Validate(o => o.PromptTemplate.Contains(WordProblemsOptions.QuestionField, StringComparison.Ordinal),
                $"{section}:PromptTemplate must contain {WordProblemsOptions.QuestionField}, where the question goes.");
        return services.AddVerifier<WordProblemsVerifier>(name);
    }
}
