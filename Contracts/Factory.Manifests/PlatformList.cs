using System.Text.RegularExpressions;
using Factory.Contracts.Manifests;

namespace Factory.Manifests;

internal static class PlatformList
{
    public static IReadOnlyList<string> Read(YamlNode node, bool required)
    {
        var items = node.Items(required);
        if (required && node.Node is not null && items.Count == 0) node.Error("must list at least one platform");
        var result = new List<string>();
        foreach (var item in items)
        {
            var value = item.String();
            if (value is null) continue;
            if (!Names.KnownPlatforms.Contains(value)) item.Error($"unknown platform {Names.Quote(value)}: expected one of {string.Join(", ", Names.KnownPlatforms)}");
            else if (result.Contains(value)) item.Error($"platform {value} is listed twice");
            else result.Add(value);
        }
        return result;
    }
}
