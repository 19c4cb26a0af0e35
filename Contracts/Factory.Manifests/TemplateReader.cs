using System.Text.RegularExpressions;
using Factory.Contracts.Manifests;

namespace Factory.Manifests;

internal static class TemplateReader
{
    public static Template? Read(string id, YamlNode doc)
    {
        var before = doc.Errors.Count;
        doc.RejectUnknownFields("id", "version", "base", "layers", "tests", "limits", "owner", "description");
        var declaredId = doc.Field("id").String();
        if (declaredId is not null && declaredId != id) doc.Field("id").Error($"must match the file name {Names.Quote(id)}, found {Names.Quote(declaredId)}");
        var version = doc.Field("version").String();
        if (version is not null && !Names.IsSemVer(version)) doc.Field("version").Error($"expected a semantic version such as 1.0.0, found {Names.Quote(version)}");
        var baseRef = doc.Field("base").String();
        if (baseRef is not null && !ImageReference.TryParse(baseRef, out _)) doc.Field("base").Error($"expected an image reference such as base/busybox:1.35 or repo@sha256:<64 hex>, found {Names.Quote(baseRef)}");
        var layersNode = doc.Field("layers");
        var layers = new List<string>();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in layersNode.Items())
        {
            var slot = item.String();
            if (slot is null) continue;
            if (!Names.IsSafeName(slot)) item.Error($"slot name {Names.Quote(slot)} is not valid: expected {Names.SafeNameRule}");
            else if (!listed.Add(slot)) item.Error($"slot {slot} is listed twice");
            else layers.Add(slot);
        }
        if (layersNode.Node is not null && layers.Count == 0 && doc.Errors.Count == before) layersNode.Error("must list at least one module slot");
        var tests = doc.Field("tests").String();
        var limits = doc.Field("limits");
        int? maxImageMb = null;
        if (!limits.IsMissing && limits.RequireMapping())
        {
            limits.RejectUnknownFields("max_image_mb");
            maxImageMb = limits.Field("max_image_mb").Int(required: false, min: 1, max: 1_000_000);
        }
        var owner = doc.Field("owner").String();
        if (doc.Errors.Count > before) return null;
        return new Template
        {
            Id = id, Version = version!, Base = baseRef!, Layers = layers, Tests = tests!,
            Limits = new TemplateLimits { MaxImageMb = maxImageMb }, Owner = owner!,
        };
    }
}
