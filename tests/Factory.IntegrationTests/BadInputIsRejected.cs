using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests;

/// <summary>Bad input: a clear error naming the file and field, exit code 2, nothing built, nothing recorded.</summary>
[Collection(DockerCollection.Name)]
public sealed class BadInputIsRejected : IDisposable
{
    private readonly ScratchStore _store = new();

    public void Dispose() => _store.Dispose();

    private async Task<CliResult> RunRejected(string plan = "core_smoke", IReadOnlyDictionary<string, string>? environment = null)
    {
        var run = await FactoryCli.RunAsync(_store.Args("run", plan, "--json"), environment);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Stdout);
        Assert.Equal(0, CliRecords.Count(_store));
        Assert.False(Directory.Exists(Path.Combine(_store.State, "work")), "nothing may have been rendered for a build");
        return run;
    }

    [Fact]
    public async Task Malformed_yaml_names_the_file_and_line()
    {
        _store.Write("templates/smoke.yaml", "id: smoke\nversion: 1.0.0\nlayers: [security, core\nbase: x\n");
        var run = await RunRejected();
        Assert.Contains("templates/smoke.yaml", run.Stderr);
        Assert.Contains("malformed YAML at line", run.Stderr);
    }

    [Fact]
    public async Task An_unknown_module_version_in_the_plan_names_the_plan_field_and_the_versions_there_are()
    {
        _store.Write("plans/bad.yaml", "id: bad\nmanifest: core_smoke\nmatrix: {light: [1.0.0, 7.7.7]}\n");
        var run = await RunRejected("bad");
        Assert.Contains("plans/bad.yaml: matrix.light[1]: module light has no version '7.7.7': available 1.0.0, 1.1.0", run.Stderr);
    }

    [Fact]
    public async Task A_FROM_in_a_module_fragment_is_refused()
    {
        _store.Write("modules/light/1.0.0/Dockerfile", "FROM busybox\nRUN true\n");
        var run = await RunRejected();
        Assert.Contains("modules/light/1.0.0/Dockerfile: line 1: FROM is not allowed in a module fragment", run.Stderr);
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("evil\nname")]
    public async Task A_module_name_with_a_path_or_a_newline_is_refused(string name)
    {
        var escaped = name.Replace("\n", "\\n");
        _store.Write("plans/bad_name.yaml", $"id: bad_name\nmanifest: core_smoke\nmatrix: {{\"{escaped}\": [1.0.0]}}\n");
        var run = await RunRejected("bad_name");
        Assert.Contains("plans/bad_name.yaml", run.Stderr);
        Assert.Contains("is not valid: expected lower-case letters", run.Stderr);
    }

    [Fact]
    public async Task A_plan_whose_matrix_is_not_a_mapping_is_refused()
    {
        _store.Write("plans/list.yaml", "id: list\nmanifest: core_smoke\nmatrix: [1.0.0]\n");
        var run = await RunRejected("list");
        Assert.Contains("plans/list.yaml: matrix: expected a mapping, found a list", run.Stderr);
    }

    [Fact]
    public async Task A_base_image_that_is_not_in_the_registry_names_the_template_field()
    {
        _store.Write("templates/smoke.yaml", "id: smoke\nversion: 1.0.0\nbase: base/does-not-exist:1.0\nlayers: [security, core, light]\ntests: smoke\nowner: it\n");
        var run = await RunRejected();
        Assert.Contains("templates/smoke.yaml: base: image 127.0.0.1:5000/base/does-not-exist:1.0 does not exist in the registry", run.Stderr);
    }

    [Fact]
    public async Task The_docker_engine_not_running_is_named_as_the_service_that_is_down()
    {
        var run = await RunRejected(environment: new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///tmp/factory-no-engine-here.sock" });
        Assert.Contains("infrastructure: docker engine: not reachable", run.Stderr);
    }

    [Fact]
    public async Task A_pool_this_machine_cannot_serve_is_refused_before_anything_is_enqueued()
    {
        var run = await FactoryCli.RunAsync(_store.Args("run", "core_smoke", "--pools", "gpu"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("executor pool gpu: cannot be served here", run.Stderr);
        Assert.Equal(0, CliRecords.Count(_store));
    }

    [Fact]
    public async Task A_plan_for_a_pool_no_executor_serves_is_refused_with_the_pool_named()
    {
        var run = await FactoryCli.RunAsync(_store.Args("run", "core_smoke", "--pools", "amd64"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("needs pool arm64, which no executor serves (served: amd64)", run.Stderr);
        Assert.Equal(0, CliRecords.Count(_store));
    }

    [Fact]
    public async Task An_unknown_command_line_option_exits_2()
    {
        var run = await FactoryCli.RunAsync("run", "core_smoke", "--no-such-option");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--no-such-option", run.Stderr);
    }

    [Fact]
    public async Task A_module_changed_under_a_released_version_fails_validation_naming_it()
    {
        _store.Write("plans/one.yaml", "id: one\nmanifest: core_smoke\nmatrix: {light: [1.0.0]}\nplatforms: [linux/amd64]\n");
        var first = await FactoryCli.RunAsync(_store.Args("run", "one", "--json"));
        Assert.True(first.ExitCode == 0, first.ToString());

        _store.Write("modules/light/1.0.0/Dockerfile", "RUN echo \"light 1.0.0 changed\" > /etc/factory/light\n");
        var validate = await FactoryCli.RunAsync(_store.Args("manifests", "validate"));
        Assert.Equal(2, validate.ExitCode);
        Assert.Contains("module light 1.0.0 was released with content sha256:", validate.Stderr);
        var run = await FactoryCli.RunAsync(_store.Args("run", "one", "--json"));
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(1, CliRecords.Count(_store));
    }
}
