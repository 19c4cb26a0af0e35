using System.Text.RegularExpressions;
using Factory.Contracts.Manifests;

namespace Factory.Manifests;

internal static class EntryReader
{
    public static ManifestEntry? Read(string id, YamlNode node)
    {
        var before = node.Errors.Count;
        if (!Names.IsSafeName(id)) node.Error($"manifest id {Names.Quote(id)} is not valid: expected {Names.SafeNameRule}");
        if (!node.RequireMapping()) return null;
        node.RejectUnknownFields("template", "modules", "platforms", "accelerator", "description");
        var template = node.Field("template").String();
        var modules = new Dictionary<string, string>(StringComparer.Ordinal);
        var modulesNode = node.Field("modules");
        if (modulesNode.RequireMapping())
            foreach (var (slot, versionNode) in modulesNode.Entries())
            {
                if (!Names.IsSafeName(slot)) { versionNode.Error($"module name {Names.Quote(slot)} is not valid: expected {Names.SafeNameRule}"); continue; }
                var version = versionNode.String();
                if (version is not null && !Names.IsSemVer(version)) versionNode.Error($"expected a semantic version such as 1.0.0, found {Names.Quote(version)}");
                else if (version is not null) modules[slot] = version;
            }
        var platforms = PlatformList.Read(node.Field("platforms"), required: true);
        var accelerator = node.Field("accelerator").String(required: false);
        if (accelerator is not null && !Names.KnownAccelerators.Contains(accelerator))
            node.Field("accelerator").Error($"expected one of {string.Join(", ", Names.KnownAccelerators)}, found {Names.Quote(accelerator)}");
        if (node.Errors.Count > before || template is null) return null;
        return new ManifestEntry { Id = id, Template = template, Modules = modules, Platforms = platforms, Accelerator = accelerator };
    }
}
