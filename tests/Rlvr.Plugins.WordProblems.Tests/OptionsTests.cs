// Options binding as the host does it: bad values fail on start, naming the key.
using Rlvr.Testing;

namespace Rlvr.Plugins.WordProblems.Tests;

public sealed class OptionsTests
{
    [Theory]
    [InlineData("Tasks:WordProblems:TrainFile", "/nonexistent/train.jsonl")]
    [InlineData("Tasks:WordProblems:HeldOutFile", "/nonexistent/test.jsonl")]
    [InlineData("Tasks:WordProblems:PromptTemplate", "Q: no placeholder")]
    [InlineData("Tasks:WordProblems:Malformed", "ignore")]
    public void A_bad_value_fails_on_start_naming_its_key(string key, string value)
    {
        var error = PluginServices.ValidateOnStart(new WordProblemsPlugin(), (key, value));

        Assert.Contains(key, error.Message);
    }
}
