using Factory.Contracts.Manifests;
using Factory.Manifests;

namespace Factory.UnitTests.Support;

/// <summary>
/// A small valid manifest store in a temporary directory: manifest "app" on template "base" (layers alpha, beta;
/// suite "basic"), modules alpha 1.0.0 and 1.1.0 (which COPY files/alpha.sh) and beta 1.0.0, and plan "p".
/// Each test rewrites one file to break it, then loads.
/// </summary>
public sealed class TempManifestStore : IDisposable
{
    public const string StoreYaml = """
        app:
          template: base
          modules: {alpha: 1.0.0, beta: 1.0.0}
          platforms: [linux/amd64, linux/arm64]
          description: A minimal manifest.
        """;

    public const string TemplateYaml = """
        id: base
        version: 1.0.0
        base: base/busybox:1.35
        layers: [alpha, beta]
        tests: basic
        limits: {max_image_mb: 50}
        owner: team
        """;

    public const string SuiteYaml = """
        tests:
          - name: runs
            run: [sh, -c, echo ok]
            expect: {exit_code: 0, stdout: ok}
            timeout: 30s
        """;

    public const string AlphaFragment = "COPY files/alpha.sh /usr/local/bin/alpha\nRUN chmod 0755 /usr/local/bin/alpha\n";
    public const string BetaFragment = "RUN echo beta > /etc/beta\n";

    public const string PlanYaml = """
        id: p
        manifest: app
        matrix:
          alpha: [1.0.0, 1.1.0]
        platforms: [linux/amd64]
        priority: 5
        """;

    public string Root { get; }

    public TempManifestStore()
    {
        Root = Path.Combine(Path.GetTempPath(), "factory-unit-" + Guid.NewGuid().ToString("N"));
        Write("store.yaml", StoreYaml);
        Write("templates/base.yaml", TemplateYaml);
        Write("tests/basic.yaml", SuiteYaml);
        foreach (var version in new[] { "1.0.0", "1.1.0" })
        {
            Write($"modules/alpha/{version}/module.yaml", ModuleYaml("alpha", version));
            Write($"modules/alpha/{version}/Dockerfile", AlphaFragment);
            Write($"modules/alpha/{version}/files/alpha.sh", $"#!/bin/sh\necho alpha {version}\n");
        }
        Write("modules/beta/1.0.0/module.yaml", ModuleYaml("beta", "1.0.0"));
        Write("modules/beta/1.0.0/Dockerfile", BetaFragment);
        Write("plans/p.yaml", PlanYaml);
    }

    public static string ModuleYaml(string name, string version) => $$"""
        name: {{name}}
        version: {{version}}
        owner: {handle: "@{{name}}", team: {{name}}}
        description: The {{name}} module.
        """;

    public string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public TempManifestStore Write(string relative, string content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return this;
    }

    /// <summary>Replaces text in a file, failing the test if the text is not there (so a stale edit cannot pass silently).</summary>
    public TempManifestStore Edit(string relative, string find, string replace)
    {
        var text = File.ReadAllText(PathOf(relative));
        Assert.Contains(find, text);
        return Write(relative, text.Replace(find, replace, StringComparison.Ordinal));
    }

    public TempManifestStore Delete(string relative)
    {
        var path = PathOf(relative);
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        else File.Delete(path);
        return this;
    }

    public ManifestStore Load() => ManifestStoreLoader.Load(Root);

    /// <summary>Loading must fail; the errors it reports.</summary>
    public IReadOnlyList<InputError> LoadErrors() => ErrorAssert.Throws(() => ManifestStoreLoader.Load(Root));

    public Plan LoadPlan(string planYaml)
    {
        Write("plans/p.yaml", planYaml);
        return PlanReader.Load(PathOf("plans/p.yaml"), Load());
    }

    /// <summary>The store must load and the plan must not; the plan's errors.</summary>
    public IReadOnlyList<InputError> PlanErrors(string planYaml)
    {
        var store = Load();
        Write("plans/p.yaml", planYaml);
        return ErrorAssert.Throws(() => PlanReader.Load(PathOf("plans/p.yaml"), store));
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
