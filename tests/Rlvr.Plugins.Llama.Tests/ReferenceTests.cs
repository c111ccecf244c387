// The llama plugin against an independent PyTorch forward written from the published equations
// (Reference/llama_reference.py): same logits on the same ids, same greedy continuation through the KV cache.
using Rlvr.Plugins.Llama.Tests.Support;
using Rlvr.Testing;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Llama.Tests;

public sealed class ReferenceTests
{
    public static TheoryData<string> Models => [.. Fixtures.Names];

    [Theory, MemberData(nameof(Models))]
    public void LogitsEqualTheReferences(string name)
    {
        using var scope = NewDisposeScope();
        using var model = Fixtures.Load(name);
        var expected = Fixtures.Expected(Fixtures.Folder(name));
        var logits = model.Forward(Fixtures.Ids(expected.Ids));
        var reference = tensor(expected.Logits.SelectMany(s => s.SelectMany(r => r)).ToArray()).view(logits.shape);
        Assert.True(logits.allclose(reference, rtol: 0, atol: 1e-4), $"{name}: largest difference {Fixtures.MaxDifference(logits, reference)}");
    }

    [Theory, MemberData(nameof(Models))]
    public void CachedGreedyDecodingEqualsTheReferences(string name)
    {
        using var scope = NewDisposeScope();
        using var model = Fixtures.Load(name);
        var expected = Fixtures.Expected(Fixtures.Folder(name));
        using var cache = model.CreateDecodingState(zeros(1, dtype: int64), expected.Prompt.Length + expected.Greedy.Length);
        var next = model.Forward(tensor(expected.Prompt).view(1, -1), cache)[0, -1].argmax().item<long>();
        var generated = new List<long> { next };
        while (generated.Count < expected.Greedy.Length)
        {
            next = model.Forward(tensor(new[] { next }).view(1, 1), cache)[0, -1].argmax().item<long>();
            generated.Add(next);
        }
        Assert.Equal(expected.Greedy, generated);
    }

    [TorchFact]
    public void TheReferenceScriptReproducesTheCommittedFixtures()
    {
        string root = Directory.CreateTempSubdirectory("rlvr-llama-reference-").FullName;
        try
        {
            TorchFactAttribute.Run(Fixtures.Script, root);
            foreach (string name in Fixtures.Names)
            {
                foreach (string file in Directory.GetFiles(Fixtures.Folder(name)).Where(f => !f.EndsWith("expected.json")))
                    Assert.True(File.ReadAllBytes(file).SequenceEqual(File.ReadAllBytes(Path.Combine(root, name, Path.GetFileName(file)))), $"{name}/{Path.GetFileName(file)} differs");
                var (committed, rerun) = (Fixtures.Expected(Fixtures.Folder(name)), Fixtures.Expected(Path.Combine(root, name)));
                Assert.Equal(committed.Greedy, rerun.Greedy);
                var differences = committed.Logits.SelectMany(s => s.SelectMany(r => r)).Zip(rerun.Logits.SelectMany(s => s.SelectMany(r => r)), (a, b) => Math.Abs(a - b));
                Assert.True(differences.Max() < 1e-5, $"{name}: the rerun's logits differ by up to {differences.Max()}");
            }
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
