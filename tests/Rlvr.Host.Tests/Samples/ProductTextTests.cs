// The README, docs, sample READMEs, committed reports and production code describe the product as it is: no history
// of how it was built ("session 7", "issue 4"), no nickname of the machine it was measured on, no path of that
// machine, and no link to a file the repository does not have.
using System.Text.RegularExpressions;
using Rlvr.Host.Tests.Support;

namespace Rlvr.Host.Tests.Samples;

public sealed partial class ProductTextTests
{
    private static readonly string[] s_skipped = ["bin", "obj", "runs", "node_modules"];

    /// <summary>README.md, every Markdown and HTML file under docs/ (committed reports included), every Markdown file under Samples/.</summary>
    public static TheoryData<string> Documents() =>
        [.. new[] { Path.Combine(Repository.Root, "README.md") }
            .Concat(Files("docs", "*.md")).Concat(Files("docs", "*.html")).Concat(Files("Samples", "*.md"))
            .Select(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Documents))]
    public void ADocumentSpeaksOfTheProductOnlyAndLinksOnlyToFilesThatExist(string document)
    {
        string path = Path.Combine(Repository.Root, document);
        var problems = History(File.ReadAllLines(path)).ToList();
        foreach (var (line, target) in RelativeLinks(File.ReadAllLines(path)))
            if (!File.Exists(Path.Combine(Path.GetDirectoryName(path)!, target)) && !Directory.Exists(Path.Combine(Path.GetDirectoryName(path)!, target)))
                problems.Add($"line {line}: links to {target}, which is not in the repository");
        Assert.True(problems.Count == 0, $"{document}:\n  {string.Join("\n  ", problems)}");
    }

    [Fact]
    public void ProductionCodeSpeaksOfTheProductOnly()
    {
        var problems = new[] { "Abstractions", "Host", "Plugins" }.SelectMany(folder => Files(folder, "*.cs"))
            .SelectMany(file => History(File.ReadAllLines(file)).Select(p => $"{Path.GetRelativePath(Repository.Root, file)} {p}")).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void TheCheckFindsWhatItLooksFor()
    {
        string[] text =
        [
            "Measured in session 8 on CPU-2.", "See issue 4 and Issue #12.", "Runs read from `/tmp/probe-runs/x`.",
            "cd /work/main && python3 /root/peer/bench.py", "[notes](missing/file.md)", "[fine](https://example.com/x.md) [anchor](#top)",
        ];
        Assert.Equal(
            ["line 1: 'session 8'", "line 1: 'CPU-2'", "line 2: 'issue 4'", "line 2: 'Issue #12'", "line 3: '/tmp/'", "line 4: '/work/'", "line 4: '/root/'"],
            History(text));
        Assert.Equal([(5, "missing/file.md")], RelativeLinks(text));
    }

    // Each line's mentions of the build's history, machine nickname and machine paths.
    private static IEnumerable<string> History(IReadOnlyList<string> lines) =>
        lines.SelectMany((text, i) => Forbidden().Matches(text).Select(m => $"line {i + 1}: '{m.Value.TrimStart()}'"));

    // Markdown links to a relative path (web addresses and in-page anchors left out), with the anchor cut off.
    private static IReadOnlyList<(int Line, string Target)> RelativeLinks(IReadOnlyList<string> lines) =>
        [.. lines.SelectMany((text, i) => MarkdownLink().Matches(text).Select(m => (Line: i + 1, Target: m.Groups["target"].Value.Split('#')[0])))
            .Where(link => link.Target.Length > 0 && !link.Target.Contains("://") && !link.Target.StartsWith("mailto:", StringComparison.Ordinal))];

    private static IEnumerable<string> Files(string folder, string pattern) =>
        Directory.EnumerateFiles(Path.Combine(Repository.Root, folder), pattern, SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(Repository.Root, f).Split(Path.DirectorySeparatorChar).Any(s_skipped.Contains));

    [GeneratedRegex(@"\b(sessions?|issues?) #?\d+|\bCPU-2\b|(?<![\w.~-])/(tmp|work|root|home)/", RegexOptions.IgnoreCase)]
    private static partial Regex Forbidden();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)(\s+""[^""]*"")?\)")]
    private static partial Regex MarkdownLink();
}
