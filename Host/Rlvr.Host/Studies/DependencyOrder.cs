// Arms that start from other arms, bases that continue other bases: both run in an order where everything runs after
// what it starts from. One ordering serves both.
namespace Rlvr.Host.Studies;

/// <summary>Orders items so that each comes after the item it depends on.</summary>
internal static class DependencyOrder
{
    /// <summary>
    /// <paramref name="items"/> in their order, except that each comes after <paramref name="after"/>'s item (null: none).
    /// Items in a cycle, and those that depend on one, are left out: fewer items than given means a cycle.
    /// </summary>
    public static List<string> Of(IReadOnlyList<string> items, Func<string, string?> after)
    {
        var order = new List<string>();
        while (order.Count < items.Count)
        {
            var ready = items.Where(i => !order.Contains(i) && (after(i) is not { } first || order.Contains(first))).ToList();
            if (ready.Count == 0) break;
            order.AddRange(ready);
        }
        return order;
    }
}
