namespace Factory.Bench;

/// <summary>
/// Manifests of the bench's own, added to the fleet's copy of manifests/: a three-slot manifest (bench_matrix, 32
/// versions per slot: the first 22 of each make 10,648 combinations, the rest fresh ones) and a one-slot one
/// (bench_one, a version per dispatch sample), on the
/// busybox base, with one test that only checks an exit code — so the bench-only instant engine's items pass and
/// are reusable, and no manifest the tests use is touched.
/// </summary>
public static class BenchManifests
{
    public const string Matrix = "bench_matrix";
    public const string One = "bench_one";
    public const int VersionsPerSlot = 32;
    private static readonly string[] Slots = ["bench-a", "bench-b", "bench-c"];

    public static void AddTo(string manifests, int oneVersions)
    {
        Write(manifests, "tests/bench.yaml", "tests:\n  - name: exits-zero\n    run: [\"true\"]\n    expect: {exit_code: 0}\n    timeout: 30s\n");
        Write(manifests, "templates/bench_matrix.yaml",
            $"id: bench_matrix\nversion: 1.0.0\nbase: base/busybox:1.35\nlayers: [{string.Join(", ", Slots)}]\ntests: bench\nowner: bench\n");
        Write(manifests, "templates/bench_one.yaml", "id: bench_one\nversion: 1.0.0\nbase: base/busybox:1.35\nlayers: [bench-one]\ntests: bench\nowner: bench\n");
        foreach (var slot in Slots)
            for (var v = 0; v < VersionsPerSlot; v++) Module(manifests, slot, Version(v));
        for (var v = 0; v < oneVersions; v++) Module(manifests, "bench-one", Version(v));
        File.AppendAllText(Path.Combine(manifests, "store.yaml"),
            $"\n{Matrix}:\n  template: bench_matrix\n  modules: {{{string.Join(", ", Slots.Select(s => $"{s}: 1.0.0"))}}}\n  platforms: [linux/amd64]\n" +
            $"\n{One}:\n  template: bench_one\n  modules: {{bench-one: 1.0.0}}\n  platforms: [linux/amd64]\n");
    }

    /// <summary>1.0.0, 1.0.1, …: version n of every bench module.</summary>
    public static string Version(int n) => $"1.{n / 100}.{n % 100}";

    /// <summary>A plan over bench_matrix with these versions (by number, below VersionsPerSlot) of each slot.</summary>
    public static string MatrixPlan(string id, IEnumerable<int> a, IEnumerable<int> b, IEnumerable<int> c) =>
        $"id: {id}\nmanifest: {Matrix}\nmatrix:\n" +
        string.Concat(Slots.Zip([a, b, c]).Select(s => $"  {s.First}: [{string.Join(", ", s.Second.Select(Version))}]\n")) +
        "platforms: [linux/amd64]\n";

    public static string OnePlan(string id, int version) =>
        $"id: {id}\nmanifest: {One}\nmatrix: {{bench-one: [{Version(version)}]}}\nplatforms: [linux/amd64]\n";

    private static void Module(string manifests, string name, string version)
    {
        Write(manifests, $"modules/{name}/{version}/module.yaml", $"name: {name}\nversion: {version}\nowner: {{handle: \"@bench\", team: bench}}\ndescription: bench module\n");
        Write(manifests, $"modules/{name}/{version}/Dockerfile", $"RUN echo \"{name} {version}\" > /etc/{name}\n");
    }

    private static void Write(string root, string relative, string content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
