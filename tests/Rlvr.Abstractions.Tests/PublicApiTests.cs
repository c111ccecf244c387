using System.Reflection;
using System.Text;

namespace Rlvr.Abstractions.Tests;

/// <summary>
/// Plugins compile against Rlvr.Abstractions, so its public surface changes only on purpose: this test compares it
/// with the checked-in Rlvr.Abstractions.approved.txt. After an intended change, copy the received file over it.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PublicApiMatchesTheApprovedFile()
    {
        string approvedPath = Path.Combine(AppContext.BaseDirectory, "Rlvr.Abstractions.approved.txt");
        string received = Describe(typeof(IRlvrPlugin).Assembly);
        string approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";
        if (received != approved)
        {
            string receivedPath = Path.Combine(AppContext.BaseDirectory, "Rlvr.Abstractions.received.txt");
            File.WriteAllText(receivedPath, received);
            var firstDifference = received.Split('\n').Zip(approved.Split('\n')).Select((pair, line) => (pair, line)).FirstOrDefault(x => x.pair.First != x.pair.Second);
            Assert.Fail($"The public API of Rlvr.Abstractions changed (first difference at line {firstDifference.line + 1}: " +
                        $"'{firstDifference.pair.First}' vs approved '{firstDifference.pair.Second}'). If intended, copy {receivedPath} " +
                        "over tests/Rlvr.Abstractions.Tests/Rlvr.Abstractions.approved.txt.");
        }
    }

    private static string Describe(Assembly assembly)
    {
        var text = new StringBuilder();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            string kind = type.IsInterface ? "interface" : type.IsEnum ? "enum" : type.IsValueType ? "struct" : type.IsAbstract && type.IsSealed ? "static class" : "class";
            var bases = new[] { type.BaseType }.Where(b => b is not null && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum))
                .Concat(type.GetInterfaces().OrderBy(i => i.FullName, StringComparer.Ordinal)).Select(t => t!.ToString());
            text.Append($"{kind} {type}").Append(bases.Any() ? " : " + string.Join(", ", bases) : "").Append('\n');
            const BindingFlags Public = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            var members = type.GetMembers(Public)
                .Where(m => m is not MethodInfo { IsSpecialName: true } && m.Name != "<Clone>$")
                .Select(m => m switch
                {
                    FieldInfo f when type.IsEnum => $"  {f.Name}",
                    PropertyInfo p => $"  {p.PropertyType} {p.Name} {{ {(p.GetMethod?.IsPublic == true ? "get; " : "")}{(p.SetMethod?.IsPublic == true ? "set; " : "")}}}",
                    _ => $"  {m}",
                })
                .Order(StringComparer.Ordinal);
            foreach (string member in members) text.Append(member).Append('\n');
        }
        return text.ToString();
    }
}
