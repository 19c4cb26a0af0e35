using Factory.ControlPlane;
using Factory.Planning;
using Factory.UnitTests.Support;
using Microsoft.Extensions.Configuration;

namespace Factory.UnitTests;

/// <summary>ControlPlane:Pools: unset, the default pools; set (a simulation fleet), they replace them; a bad entry names its field.</summary>
public sealed class PoolCatalogTests
{
    private static ControlPlaneOptions Bind(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(ControlPlaneOptions.Section).Get<ControlPlaneOptions>()!;

    [Fact]
    public void Without_configured_pools_the_default_catalog_routes()
    {
        var catalog = PoolCatalog.From(Bind(new() { ["ControlPlane:Registry"] = "127.0.0.1:5000" }).Pools);

        Assert.Same(PoolCatalog.Default, catalog);
        Assert.Equal("amd64", catalog.For("linux/amd64", null)!.Name);
        Assert.Equal("gpu", catalog.For("linux/amd64", "gpu")!.Name);
    }

    [Fact]
    public void Configured_pools_replace_the_default_so_a_simulation_fleet_sends_linux_amd64_to_its_sim_pool()
    {
        var catalog = PoolCatalog.From(Bind(new()
        {
            ["ControlPlane:Pools:0:Name"] = "sim",
            ["ControlPlane:Pools:0:Platform"] = "linux/amd64",
        }).Pools);

        Assert.Equal(["sim"], catalog.Pools.Select(p => p.Name));
        Assert.Equal("sim", catalog.For("linux/amd64", null)!.Name);
        Assert.Null(catalog.For("linux/arm64", null));
        Assert.Null(catalog.Named("amd64"));
    }

    [Fact]
    public void A_configured_pool_with_a_bad_name_or_platform_or_twice_is_refused_naming_its_field()
    {
        var errors = ErrorAssert.Throws(() => PoolCatalog.From(
        [
            new("Sim Pool", "linux/amd64"),
            new("sim", "amd64"),
            new("sim2", "linux/arm64"),
            new("sim2", "linux/arm64"),
        ]));

        ErrorAssert.Has(errors, "configuration", "ControlPlane:Pools:0:Name", "lowercase letters", "'Sim Pool'");
        ErrorAssert.Has(errors, "configuration", "ControlPlane:Pools:1:Platform", "os/architecture", "'amd64'");
        ErrorAssert.Has(errors, "configuration", "ControlPlane:Pools:3:Name", "pool sim2 is configured twice");
        ErrorAssert.Has(errors, "configuration", "ControlPlane:Pools:3:Platform", "linux/arm64 already goes to another pool");
        Assert.Equal(4, errors.Count);
    }
}
