using Factory.Planning;
using Factory.Manifests;
using Factory.UnitTests.Support;

namespace Factory.UnitTests;

/// <summary>PlanReader.Load: the shipped plans, and every problem a plan can have, checked against the store.</summary>
public sealed class PlanReaderTests : IDisposable
{
    private const string PlanFile = "plans/p.yaml";
    private readonly TempManifestStore _store = new();

    public void Dispose() => _store.Dispose();

    public static TheoryData<string> ShippedPlans() => new(Directory.EnumerateFiles(Path.Combine(RepoPaths.Manifests, "plans"), "*.yaml")
        .Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(ShippedPlans))]
    public void A_shipped_plan_loads_by_id_and_expands(string id)
    {
        var store = ManifestStoreLoader.Load(RepoPaths.Manifests);
        var plan = PlanReader.Load(id, store);
        Assert.Equal(id, plan.Id);
        Assert.NotEmpty(MatrixExpander.Expand(plan, store));
    }

    [Fact]
    public void The_shipped_matrix_plan_expands_to_the_seven_combinations_its_comment_promises()
    {
        var store = ManifestStoreLoader.Load(RepoPaths.Manifests);
        var plan = PlanReader.Load("core_smoke_matrix", store);
        Assert.Equal((3, 4), (plan.Priority, plan.Concurrency));
        Assert.Equal(7, MatrixExpander.Expand(plan, store).Count);
    }

    [Fact]
    public void A_plan_is_read_as_written()
    {
        var plan = _store.LoadPlan(TempManifestStore.PlanYaml + """

            include:
              - {alpha: 1.0.0, platform: linux/arm64}
            exclude:
              - {alpha: 1.1.0}
            deadline: 1h30m
            concurrency: 4
            labels: {purpose: test}
            """);
        Assert.Equal(("p", "app", 5, TimeSpan.FromMinutes(90), 4), (plan.Id, plan.Manifest, plan.Priority, plan.Deadline, plan.Concurrency));
        Assert.Equal(["1.0.0", "1.1.0"], Assert.Single(plan.Matrix, m => m.Key == "alpha").Value);
        Assert.Equal(["linux/amd64"], plan.Platforms!);
        Assert.Equal(new Dictionary<string, string> { ["alpha"] = "1.0.0", ["platform"] = "linux/arm64" }, Assert.Single(plan.Include));
        Assert.Equal(new Dictionary<string, string> { ["alpha"] = "1.1.0" }, Assert.Single(plan.Exclude));
        Assert.Equal("test", plan.Labels["purpose"]);
        Assert.EndsWith("plans/p.yaml", plan.Source.Replace('\\', '/'));
    }

    [Fact]
    public void A_plan_without_optional_fields_gets_defaults()
    {
        var plan = _store.LoadPlan("id: p\nmanifest: app\nmatrix: {alpha: [1.0.0]}\n");
        Assert.Null(plan.Platforms);
        Assert.Equal(0, plan.Priority);
        Assert.Null(plan.Deadline);
        Assert.Null(plan.Concurrency);
        Assert.Empty(plan.Include);
        Assert.Empty(plan.Exclude);
    }

    [Fact]
    public void A_plan_is_found_by_id_in_the_plans_folder()
    {
        var plan = PlanReader.Load("p", _store.Load());
        Assert.Equal("p", plan.Id);
    }

    [Fact]
    public void A_version_listed_twice_in_the_matrix_is_kept_once()
    {
        var plan = _store.LoadPlan(TempManifestStore.PlanYaml.Replace("[1.0.0, 1.1.0]", "[1.0.0, 1.1.0, 1.0.0]"));
        Assert.Equal(["1.0.0", "1.1.0"], plan.Matrix["alpha"]);
    }

    [Fact]
    public void A_plan_id_that_does_not_exist_is_rejected()
    {
        var error = Assert.Single(ErrorAssert.Throws(() => PlanReader.Load("nosuch", _store.Load())));
        Assert.Equal(("nosuch", ""), (error.File, error.Field));
        Assert.Contains("no plan file at this path and no plan with this id in", error.Message);
    }

    [Fact]
    public void A_plan_path_that_does_not_exist_is_rejected()
    {
        var path = _store.PathOf("plans/missing.yaml");
        var error = Assert.Single(ErrorAssert.Throws(() => PlanReader.Load(path, _store.Load())));
        Assert.Equal(path, error.File);
        Assert.Contains("no plan file at this path", error.Message);
    }

    [Fact]
    public void A_plan_id_with_dot_dot_slash_is_not_looked_up()
    {
        _store.Write("p2.yaml", TempManifestStore.PlanYaml);
        var error = Assert.Single(ErrorAssert.Throws(() => PlanReader.Load("../p2", _store.Load())));
        Assert.Contains("no plan file at this path", error.Message);
    }

    [Fact]
    public void Malformed_plan_yaml_is_reported_with_its_line()
    {
        ErrorAssert.Has(_store.PlanErrors("id: p\nmanifest: app\nmatrix:\n  alpha: [1.0.0]\n - x\n"), PlanFile, "", "malformed YAML at line 5");
    }

    [Fact]
    public void A_plan_that_is_not_a_mapping_is_rejected()
    {
        ErrorAssert.Has(_store.PlanErrors("- id: p\n"), PlanFile, "", "expected a mapping, found a list");
    }

    [Fact]
    public void An_unknown_plan_field_is_rejected()
    {
        ErrorAssert.Has(_store.PlanErrors(TempManifestStore.PlanYaml + "\nowner: me"), PlanFile, "owner", "unknown field: expected one of id, manifest, matrix");
    }

    [Fact]
    public void A_plan_without_id_is_rejected()
    {
        ErrorAssert.Has(_store.PlanErrors(TempManifestStore.PlanYaml.Replace("id: p\n", "")), PlanFile, "id", "is required");
    }

    [Fact]
    public void A_plan_for_an_unknown_manifest_is_rejected()
    {
        ErrorAssert.Has(_store.PlanErrors(TempManifestStore.PlanYaml.Replace("manifest: app", "manifest: nosuch")),
            PlanFile, "manifest", "manifest 'nosuch' is not in store.yaml: expected one of app");
    }

    [Theory]
    [InlineData("matrix: {}\n")]
    [InlineData("matrix: ~\n")]
    [InlineData("")]
    public void A_plan_without_axes_is_the_manifest_as_it_stands(string matrix)
    {
        var plan = _store.LoadPlan("id: p\nmanifest: app\n" + matrix);
        Assert.Empty(plan.Matrix);
        var combination = Assert.Single(MatrixExpander.Expand(plan with { Platforms = ["linux/amd64"] }, _store.Load()));
        Assert.Equal(new Dictionary<string, string> { ["alpha"] = "1.0.0", ["beta"] = "1.0.0" }, combination.Modules);
    }

    [Fact]
    public void A_plan_without_axes_keeps_its_platforms_include_and_exclude()
    {
        var plan = _store.LoadPlan("id: p\nmanifest: app\nplatforms: [linux/arm64]\ninclude: [{alpha: 1.1.0}]\nexclude: [{beta: 1.0.0, alpha: 1.0.0}]\n");
        Assert.Equal(["linux/arm64"], plan.Platforms!);
        Assert.Equal(["alpha=1.1.0 beta=1.0.0 linux/arm64"], MatrixExpander.Expand(plan, _store.Load()).Select(c => c.Describe(["alpha", "beta"])));
    }

    [Fact]
    public void A_matrix_that_is_not_a_mapping_is_rejected()
    {
        ErrorAssert.Has(_store.PlanErrors("id: p\nmanifest: app\nmatrix: [1.0.0]\n"), PlanFile, "matrix", "expected a mapping, found a list");
    }

    [Fact]
    public void A_plan_for_a_manifest_id_is_named_after_it_and_has_no_axes()
    {
        var store = _store.Load();
        var plan = PlanReader.ForManifest(store, "app", "--manifest");
        Assert.Equal(("app", "app", "--manifest"), (plan.Id, plan.Manifest, plan.Source));
        Assert.Empty(plan.Matrix);
        Assert.Null(plan.Platforms);
        Assert.Equal((0, (int?)null, (TimeSpan?)null), (plan.Priority, plan.Concurrency, plan.Deadline));
        Assert.Equal(
            ["alpha=1.0.0 beta=1.0.0 linux/amd64", "alpha=1.0.0 beta=1.0.0 linux/arm64"],
            MatrixExpander.Expand(plan, store).Select(c => c.Describe(["alpha", "beta"])));
    }

    [Fact]
    public void A_plan_for_a_manifest_id_that_is_not_in_the_store_names_where_the_id_came_from()
    {
        var error = Assert.Single(ErrorAssert.Throws(() => PlanReader.ForManifest(_store.Load(), "nosuch", "--manifest")));
        Assert.Equal(("--manifest", ""), (error.File, error.Field));
        Assert.Contains("manifest 'nosuch' is not in ", error.Message);
        Assert.Contains("store.yaml: expected one of app", error.Message);
    }

    [Fact]
    public void A_matrix_slot_without_versions_is_rejected()
    {
        ErrorAssert.Has(_store.PlanErrors(TempManifestStore.PlanYaml.Replace("[1.0.0, 1.1.0]", "[]")), PlanFile, "matrix.alpha", "must list at least one version");
    }

    [Fact]
    public void A_matrix_slot_that_is_not_in_the_template_is_rejected()
    {
        ErrorAssert.Has(_store.PlanErrors(TempManifestStore.PlanYaml.Replace("  alpha:", "  gamma:")),
            PlanFile, "matrix.gamma", "slot 'gamma' is not a layer of template base: expected one of alpha, beta");
    }

    [Fact]
    public void An_unknown_module_version_in_the_matrix_is_rejected()
    {
        ErrorAssert.Has(_store.PlanErrors(TempManifestStore.PlanYaml.Replace("[1.0.0, 1.1.0]", "[1.0.0, 7.0.0]")),
            PlanFile, "matrix.alpha[1]", "module alpha has no version '7.0.0': available 1.0.0, 1.1.0");
    }

    [Fact]
    public void A_matrix_slot_with_dot_dot_slash_is_rejected()
    {
        ErrorAssert.Has(_store.PlanErrors(TempManifestStore.PlanYaml.Replace("  alpha:", "  ../alpha:")),
            PlanFile, "matrix.../alpha", "module slot '../alpha' is not valid");
    }

    [Fact]
    public void A_matrix_slot_with_a_newline_is_rejected()
    {
        ErrorAssert.Has(_store.PlanErrors(TempManifestStore.PlanYaml.Replace("  alpha:", "  \"alpha\\n\":")),
            PlanFile, "matrix.alpha\n", "module slot 'alpha\\n' is not valid");
    }

    [Fact]
    public void A_platform_the_manifest_does_not_support_is_rejected()
    {
        _store.Edit("store.yaml", "[linux/amd64, linux/arm64]", "[linux/amd64]");
        ErrorAssert.Has(_store.PlanErrors(TempManifestStore.PlanYaml.Replace("[linux/amd64]", "[linux/amd64, linux/arm64]")),
            PlanFile, "platforms[1]", "manifest app does not support linux/arm64: it supports linux/amd64");
    }

    [Fact]
    public void An_unsupported_platform_after_an_unknown_one_is_reported_on_its_own_line()
    {
        _store.Edit("store.yaml", "[linux/amd64, linux/arm64]", "[linux/amd64]");
        var errors = _store.PlanErrors(TempManifestStore.PlanYaml.Replace("[linux/amd64]", "\n  - linux/s390x\n  - linux/arm64"));
        ErrorAssert.Has(errors, PlanFile, "platforms[0]", "unknown platform 'linux/s390x'", "(line 6)");
        ErrorAssert.Has(errors, PlanFile, "platforms[1]", "does not support linux/arm64", "(line 7)");
    }

    [Fact]
    public void An_unknown_platform_in_a_plan_is_rejected()
    {
        ErrorAssert.Has(_store.PlanErrors(TempManifestStore.PlanYaml.Replace("[linux/amd64]", "[linux/riscv64]")),
            PlanFile, "platforms[0]", "unknown platform 'linux/riscv64'");
    }

    [Fact]
    public void An_include_for_a_platform_the_manifest_does_not_support_is_rejected()
    {
        _store.Edit("store.yaml", "[linux/amd64, linux/arm64]", "[linux/amd64]");
        ErrorAssert.Has(_store.PlanErrors(TempManifestStore.PlanYaml + "\ninclude: [{alpha: 1.0.0, platform: linux/arm64}]"),
            PlanFile, "include[0].platform", "manifest app does not support platform 'linux/arm64'");
    }

    [Fact]
    public void An_exclude_with_an_unknown_slot_is_rejected()
    {
        ErrorAssert.Has(_store.PlanErrors(TempManifestStore.PlanYaml + "\nexclude: [{gamma: 1.0.0}]"),
            PlanFile, "exclude[0].gamma", "slot 'gamma' is not a layer of template base");
    }

    [Fact]
    public void An_include_with_an_unknown_slot_is_rejected()
    {
        ErrorAssert.Has(_store.PlanErrors(TempManifestStore.PlanYaml + "\ninclude: [{gamma: 1.0.0}]"),
            PlanFile, "include[0].gamma", "slot 'gamma' is not a layer of template base");
    }

    [Fact]
    public void An_include_with_an_unknown_module_version_is_rejected()
    {
        ErrorAssert.Has(_store.PlanErrors(TempManifestStore.PlanYaml + "\ninclude: [{beta: 2.0.0}]"),
            PlanFile, "include[0].beta", "module beta has no version '2.0.0': available 1.0.0");
    }

    [Fact]
    public void An_empty_exclude_entry_is_rejected()
    {
        ErrorAssert.Has(_store.PlanErrors(TempManifestStore.PlanYaml + "\nexclude: [{}]"), PlanFile, "exclude[0]", "must name at least one slot or platform");
    }

    [Theory]
    [InlineData("12", "expected a number from 0 to 9, found 12")]
    [InlineData("-1", "expected a number from 0 to 9, found -1")]
    [InlineData("high", "expected a whole number, found 'high'")]
    public void A_priority_out_of_range_is_rejected(string priority, string message)
    {
        ErrorAssert.Has(_store.PlanErrors(TempManifestStore.PlanYaml.Replace("priority: 5", "priority: " + priority)), PlanFile, "priority", message);
    }

    [Fact]
    public void A_bad_deadline_is_rejected()
    {
        ErrorAssert.Has(_store.PlanErrors(TempManifestStore.PlanYaml + "\ndeadline: tomorrow"), PlanFile, "deadline", "expected a duration such as 30s, 2m or 2h, found 'tomorrow'");
    }

    [Fact]
    public void A_concurrency_of_zero_is_rejected()
    {
        ErrorAssert.Has(_store.PlanErrors(TempManifestStore.PlanYaml + "\nconcurrency: 0"), PlanFile, "concurrency", "expected a number from 1 to 10000, found 0");
    }

    [Fact]
    public void A_plan_may_ask_for_reruns_and_without_it_asks_for_none()
    {
        Assert.Equal(3, _store.LoadPlan(TempManifestStore.PlanYaml + "\nrerun: 3").Rerun);
        Assert.Equal(0, _store.LoadPlan(TempManifestStore.PlanYaml).Rerun);
        ErrorAssert.Has(_store.PlanErrors(TempManifestStore.PlanYaml + "\nrerun: 101"), PlanFile, "rerun", "expected a number from 0 to 100, found 101");
    }
}
