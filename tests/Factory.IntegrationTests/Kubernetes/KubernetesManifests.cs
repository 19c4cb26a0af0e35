using System.Text.Json;
using Factory.Executor.Engine;

namespace Factory.IntegrationTests.Kubernetes;

/// <summary>
/// deploy/k8s rendered offline with `kubectl kustomize`, and validated against the Kubernetes and KEDA schemas of npm
/// kubernetes-models and @kubernetes-models/keda through tests/k8s/validate.mjs (tests/k8s/install.sh puts them under
/// .build/npm-k8s).
/// </summary>
public static class KubernetesManifests
{
    private static readonly Lazy<Task> Installed = new(InstallAsync);

    public static string Root => Path.Combine(RepoRoot.Path, "deploy", "k8s");

    private static string NpmPrefix => Environment.GetEnvironmentVariable("FACTORY_K8S_NPM_PREFIX") is { Length: > 0 } prefix
        ? prefix
        : Path.Combine(RepoRoot.Path, ".build", "npm-k8s");

    /// <summary>`kubectl kustomize` of a directory (absolute, or relative to deploy/k8s); fails the test when it does not render.</summary>
    public static async Task<string> RenderAsync(string directory, params string[] options)
    {
        var path = Path.IsPathRooted(directory) ? directory : Path.Combine(Root, directory);
        var result = await ProcessRunner.RunAsync("kubectl", ["kustomize", path, .. options], timeout: TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, $"kubectl kustomize {path} (exit {result.ExitCode}):\n{result.Stderr}");
        return result.Stdout;
    }

    public static async Task<ManifestValidation> ValidateAsync(string rendered)
    {
        await Installed.Value;
        var file = Path.Combine(Path.GetTempPath(), $"factory-k8s-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, rendered);
        try
        {
            var node = await ProcessRunner.RunAsync("node", [Path.Combine(RepoRoot.Path, "tests", "k8s", "validate.mjs"), file],
                new Dictionary<string, string> { ["FACTORY_K8S_NPM_PREFIX"] = NpmPrefix }, TimeSpan.FromMinutes(1));
            Assert.True(node.ExitCode is 0 or 1, $"tests/k8s/validate.mjs could not run (exit {node.ExitCode}):\n{node.Combined}");
            using var report = JsonDocument.Parse(node.Stdout);
            var objects = report.RootElement.GetProperty("objects").EnumerateArray().Select(o => o.Clone()).ToList();
            var problems = report.RootElement.GetProperty("problems").EnumerateArray()
                .Select(p => $"{p.GetProperty("kind").GetString()} {p.GetProperty("name").GetString()}: {p.GetProperty("message").GetString()}")
                .ToList();
            return new ManifestValidation(node.ExitCode, objects, problems, node.Combined);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Renders and validates; fails the test naming every object that does not validate.</summary>
    public static async Task<IReadOnlyList<JsonElement>> RenderValidAsync(string directory, params string[] options)
    {
        var validation = await ValidateAsync(await RenderAsync(directory, options));
        Assert.True(validation.ExitCode == 0 && validation.Problems.Count == 0,
            $"{directory} does not validate:\n{string.Join("\n", validation.Problems)}\n{validation.Output[..Math.Min(2000, validation.Output.Length)]}");
        return validation.Objects;
    }

    private static async Task InstallAsync()
    {
        var result = await ProcessRunner.RunAsync("bash", [Path.Combine(RepoRoot.Path, "tests", "k8s", "install.sh"), NpmPrefix], timeout: TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0) throw new InvalidOperationException($"tests/k8s/install.sh failed (exit {result.ExitCode}):\n{result.Combined}");
    }
}
