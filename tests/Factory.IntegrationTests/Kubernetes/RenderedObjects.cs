using System.Text.Json;

namespace Factory.IntegrationTests.Kubernetes;

/// <summary>Reading rendered Kubernetes objects (as JSON): kinds, names, labels, and the pod spec of a workload.</summary>
public static class RenderedObjects
{
    public static string Kind(this JsonElement o) => o.GetProperty("kind").GetString()!;
    public static string Name(this JsonElement o) => o.GetProperty("metadata").GetProperty("name").GetString()!;

    public static IEnumerable<JsonElement> OfKind(this IEnumerable<JsonElement> objects, string kind) => objects.Where(o => o.Kind() == kind);

    public static JsonElement Named(this IEnumerable<JsonElement> objects, string kind, string name) =>
        Assert.Single(objects, o => o.Kind() == kind && o.Name() == name);

    public static string? Label(this JsonElement o, string label) =>
        o.GetProperty("metadata").TryGetProperty("labels", out var labels) && labels.TryGetProperty(label, out var value) ? value.GetString() : null;

    public static Dictionary<string, string> Strings(this JsonElement map) =>
        map.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    /// <summary>The pod template of a Deployment or of a KEDA ScaledJob's Job.</summary>
    public static JsonElement PodTemplate(this JsonElement workload) => workload.Kind() switch
    {
        "Deployment" => workload.GetProperty("spec").GetProperty("template"),
        "ScaledJob" => workload.GetProperty("spec").GetProperty("jobTargetRef").GetProperty("template"),
        var kind => throw new ArgumentException($"{kind} has no pod template here"),
    };

    public static JsonElement PodSpec(this JsonElement workload) => workload.PodTemplate().GetProperty("spec");

    public static IEnumerable<JsonElement> Containers(this JsonElement workload) => workload.PodSpec().GetProperty("containers").EnumerateArray();

    public static IEnumerable<JsonElement> Workloads(this IEnumerable<JsonElement> objects) => objects.Where(o => o.Kind() is "Deployment" or "ScaledJob");

    public static IEnumerable<JsonElement> Env(this JsonElement container) =>
        container.TryGetProperty("env", out var env) ? env.EnumerateArray() : [];

    public static string? EnvValue(this JsonElement container, string name) =>
        container.Env().Where(e => e.GetProperty("name").GetString() == name)
            .Select(e => e.TryGetProperty("value", out var v) ? v.GetString() : null).SingleOrDefault();
}
