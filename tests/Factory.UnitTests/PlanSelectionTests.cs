using Factory.Cli.Commands;
using Factory.Manifests;
using Factory.UnitTests.Support;

namespace Factory.UnitTests;

/// <summary>PlanSelection: a command works on PLAN or on --manifest ID, exactly one of them.</summary>
public sealed class PlanSelectionTests : IDisposable
{
    private readonly TempManifestStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Both_a_plan_and_a_manifest_are_refused_naming_the_option()
    {
        var error = Assert.Single(ErrorAssert.Throws(() => PlanSelection.From("p", "app")));
        Assert.Equal(("--manifest", ""), (error.File, error.Field));
        Assert.Contains("cannot be given together with PLAN (p): give either a plan file or id, or --manifest ID", error.Message);
    }

    [Fact]
    public void Neither_a_plan_nor_a_manifest_is_refused_saying_what_to_give()
    {
        var error = Assert.Single(ErrorAssert.Throws(() => PlanSelection.From(null, null)));
        Assert.Equal("PLAN", error.File);
        Assert.Contains("is required: give a plan file or a plan id, or --manifest ID", error.Message);
    }

    [Fact]
    public void A_plan_id_loads_the_plan_file()
    {
        var plan = PlanSelection.From("p", null).Load(_store.Load());
        Assert.Equal(("p", "app"), (plan.Id, plan.Manifest));
        Assert.NotEmpty(plan.Matrix);
    }

    [Fact]
    public void A_manifest_id_makes_the_plan_of_the_manifest_as_it_stands()
    {
        var plan = PlanSelection.From(null, "app").Load(_store.Load());
        Assert.Equal(("app", "app", "--manifest"), (plan.Id, plan.Manifest, plan.Source));
        Assert.Empty(plan.Matrix);
    }

    [Fact]
    public void An_unknown_manifest_id_names_the_option()
    {
        var error = Assert.Single(ErrorAssert.Throws(() => PlanSelection.From(null, "nosuch").Load(_store.Load())));
        Assert.Equal("--manifest", error.File);
        Assert.Contains("manifest 'nosuch' is not in", error.Message);
    }
}
