using Factory.Contracts.Health;
using Factory.ControlPlane.Health;
using Factory.ControlPlane.Runs;
using Factory.Manifests;
using Factory.ServiceDefaults;
using Factory.ServiceDefaults.Readiness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Factory.UnitTests;

/// <summary>Every probe a host's services register becomes a /health/ready check of its name; the manifest store's says why it fails.</summary>
public sealed class ReadinessProbesTests
{
    private sealed class FixedProbe(string name, string? why) : IReadinessProbe
    {
        public string Name => name;
        public Task<string?> ProbeAsync(CancellationToken ct) => Task.FromResult(why);
    }

    private sealed class FailingManifests(params InputError[] errors) : IManifestSource
    {
        public ManifestStore Current() => throw new InvalidInputException(errors);
    }

    [Fact]
    public async Task Each_registered_probe_is_a_ready_check_of_its_name()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddHealthChecks();
        services.AddSingleton<IConfigureOptions<HealthCheckServiceOptions>, ReadinessProbeRegistrations>();
        services.AddSingleton<IReadinessProbe>(new FixedProbe("database", "PostgreSQL at 127.0.0.1:1/x: refused"));
        services.AddSingleton<IReadinessProbe>(new FixedProbe("engine", null));
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Tags.Contains(FactoryEndpoints.ReadyTag));

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal("PostgreSQL at 127.0.0.1:1/x: refused", report.Entries["database"].Description);
        Assert.Equal(HealthStatus.Healthy, report.Entries["engine"].Status);
    }

    [Fact]
    public async Task The_manifest_store_probe_is_not_ready_while_the_store_fails_validation_and_shows_the_first_errors()
    {
        var errors = Enumerable.Range(1, 5).Select(i => new InputError($"modules/m{i}/module.yaml", "version", "not semver")).ToArray();

        var why = await new ManifestStoreProbe(new FailingManifests(errors)).ProbeAsync(CancellationToken.None);

        Assert.NotNull(why);
        Assert.StartsWith("the manifest store fails validation (5 errors;", why);
        Assert.Contains("modules/m1/module.yaml: version: not semver", why);
        Assert.Contains("modules/m3/module.yaml", why);
        Assert.DoesNotContain("modules/m4/module.yaml", why);
    }
}
