using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;

namespace Rlvr.Abstractions.Tests;

/// <summary>
/// Rlvr.Abstractions holds contracts only: interfaces, enums, records, exceptions and the <c>Add*</c> registrations.
/// Machinery with behaviour (an optimiser's set-up, a schedule, batching) belongs in Rlvr.Training, which plugins
/// reference beside it.
/// </summary>
public sealed class ContractsOnlyTests
{
    [Fact]
    public void EveryPublicTypeIsAContract()
    {
        var machinery = typeof(IRlvrPlugin).Assembly.GetExportedTypes().Where(t => !IsContract(t)).Select(t => t.FullName);
        Assert.Empty(machinery);
    }

    [Fact]
    public void TheCheckTellsMachineryFromContracts()
    {
        Assert.True(IsContract(typeof(Tasks.Problem)));                         // a record
        Assert.True(IsContract(typeof(Tasks.DifficultyRange)));                 // a record struct
        Assert.True(IsContract(typeof(RlvrServiceCollectionExtensions)));       // registrations
        Assert.False(IsContract(typeof(Training.TokenBatch)));                  // batching: machinery
        Assert.False(IsContract(typeof(Training.LearningRateSchedule)));
        Assert.False(IsContract(typeof(ContractsOnlyTests)));                   // a plain class
    }

    private static bool IsContract(Type type) =>
        type.IsInterface || type.IsEnum || IsRecord(type) || typeof(Exception).IsAssignableFrom(type) || IsRegistration(type);

    // The compiler gives every record, class or struct, a PrintMembers method.
    private static bool IsRecord(Type type) =>
        type.GetMethod("PrintMembers", BindingFlags.Instance | BindingFlags.NonPublic, [typeof(System.Text.StringBuilder)]) is not null;

    // A static class whose every method extends IServiceCollection.
    private static bool IsRegistration(Type type) =>
        type is { IsAbstract: true, IsSealed: true } &&
        type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly).Where(m => !m.IsSpecialName)
            .All(m => m.IsDefined(typeof(ExtensionAttribute)) && m.GetParameters()[0].ParameterType == typeof(IServiceCollection));
}
