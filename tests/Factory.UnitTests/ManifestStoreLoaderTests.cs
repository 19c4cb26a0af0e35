using Factory.Manifests;
using Factory.UnitTests.Support;

namespace Factory.UnitTests;

/// <summary>ManifestStoreLoader.Load: the shipped store, and every problem it must report with file, field and a useful message.</summary>
public sealed class ManifestStoreLoaderTests : IDisposable
{
    private const string Store = "store.yaml";
    private const string Template = "templates/base.yaml";
    private const string Suite = "tests/basic.yaml";
    private const string AlphaModule = "modules/alpha/1.0.0/module.yaml";
    private const string BetaFragment = "modules/beta/1.0.0/Dockerfile";

    private readonly TempManifestStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void The_shipped_manifest_store_loads_without_errors()
    {
        var store = ManifestStoreLoader.Load(RepoPaths.Manifests);

        Assert.Equal(["core_smoke", "llm_factory"], store.Entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["security", "core", "light"], store.Templates["smoke"].Layers);
        Assert.Equal(["1.0.0", "2.0.0"], store.VersionsOf("core"));
        Assert.All(store.Modules.Values.SelectMany(v => v.Values), m => Assert.Matches("^sha256:[0-9a-f]{64}$", m.ContentDigest));
        Assert.Equal(6, store.TestSuites["smoke"].Tests.Count);
    }

    [Fact]
    public void The_minimal_temporary_store_loads_and_is_read_as_written()
    {
        var store = _store.Load();

        var entry = store.Entries["app"];
        Assert.Equal("base", entry.Template);
        Assert.Equal(new Dictionary<string, string> { ["alpha"] = "1.0.0", ["beta"] = "1.0.0" }, entry.Modules);
        Assert.Equal(["linux/amd64", "linux/arm64"], entry.Platforms);
        Assert.Null(entry.Accelerator);
        var template = store.Templates["base"];
        Assert.Equal(("1.0.0", "base/busybox:1.35", "basic", "team", 50), (template.Version, template.Base, template.Tests, template.Owner, template.Limits.MaxImageMb));
        var test = Assert.Single(store.TestSuites["basic"].Tests);
        Assert.Equal(("runs", TimeSpan.FromSeconds(30), 0, "ok"), (test.Name, test.Timeout, test.Expect.ExitCode, test.Expect.Stdout));
        Assert.Equal(["sh", "-c", "echo ok"], test.Run);
        var alpha = store.FindModule("alpha", "1.1.0")!;
        Assert.Equal(("@alpha", "alpha", "The alpha module."), (alpha.Owner.Handle, alpha.Owner.Team, alpha.Description));
        Assert.Equal(TempManifestStore.AlphaFragment, alpha.Fragment);
        Assert.Equal(ModuleContentDigest.Compute(_store.PathOf("modules/alpha/1.1.0")), alpha.ContentDigest);
    }

    [Fact]
    public void A_test_without_timeout_or_expect_defaults_to_one_minute_and_exit_code_0()
    {
        _store.Write(Suite, "tests:\n  - name: runs\n    run: [true]\n");
        var test = Assert.Single(_store.Load().TestSuites["basic"].Tests);
        Assert.Equal((TimeSpan.FromMinutes(1), 0, null), (test.Timeout, test.Expect.ExitCode, test.Expect.Stdout));
        Assert.Null(test.Platforms);
    }

    [Fact]
    public void A_test_shares_the_items_container_unless_it_asks_for_a_fresh_one()
    {
        _store.Write(Suite, "tests:\n  - {name: shared, run: [true]}\n  - {name: alone, run: [true], fresh_container: true}\n  - {name: said-no, run: [true], fresh_container: false}\n");
        var tests = _store.Load().TestSuites["basic"].Tests;
        Assert.Equal([false, true, false], tests.Select(t => t.FreshContainer));
    }

    [Fact]
    public void A_fresh_container_that_is_not_a_boolean_is_rejected()
    {
        _store.Write(Suite, TempManifestStore.SuiteYaml + "\n    fresh_container: \"yes\"");
        ErrorAssert.Has(_store.LoadErrors(), Suite, "tests[0].fresh_container", "expected true or false, found 'yes'");
    }

    [Fact]
    public void A_missing_store_directory_is_reported()
    {
        var error = Assert.Single(ErrorAssert.Throws(() => ManifestStoreLoader.Load(_store.PathOf("nope"))));
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void Malformed_yaml_is_reported_with_its_line()
    {
        _store.Write(Template, "id: base\nversion: 1.0.0\nbase: base: busybox\nlayers: [alpha, beta]\n");
        var error = ErrorAssert.Has(_store.LoadErrors(), Template, "", "malformed YAML at line 3");
        Assert.DoesNotContain(error.Message, "\n");
    }

    [Fact]
    public void An_empty_file_is_reported()
    {
        _store.Write(Suite, "# nothing here\n");
        ErrorAssert.Has(_store.LoadErrors(), Suite, "", "the file is empty");
    }

    [Fact]
    public void A_missing_store_yaml_is_reported()
    {
        _store.Delete(Store);
        ErrorAssert.Has(_store.LoadErrors(), Store, "", "is missing");
    }

    [Fact]
    public void An_unknown_field_is_named_with_the_fields_that_are_allowed()
    {
        _store.Edit(Template, "owner: team", "owner: team\ncolour: red");
        ErrorAssert.Has(_store.LoadErrors(), Template, "colour", "unknown field: expected one of id, version, base, layers, tests, limits, owner, description", "(line 8)");
    }

    [Fact]
    public void An_unknown_field_in_a_nested_mapping_is_named_by_its_dotted_path()
    {
        _store.Edit(Suite, "stdout: ok", "stdout: ok, stderr: no");
        ErrorAssert.Has(_store.LoadErrors(), Suite, "tests[0].expect.stderr", "unknown field: expected one of exit_code, stdout");
    }

    [Fact]
    public void A_missing_required_field_is_reported()
    {
        _store.Edit(Template, "owner: team", "");
        ErrorAssert.Has(_store.LoadErrors(), Template, "owner", "is required: expected a string");
    }

    [Fact]
    public void A_field_of_the_wrong_shape_is_reported()
    {
        _store.Edit(Template, "layers: [alpha, beta]", "layers: alpha");
        ErrorAssert.Has(_store.LoadErrors(), Template, "layers", "expected a list, found 'alpha'");
    }

    [Fact]
    public void A_template_id_that_does_not_match_its_file_name_is_rejected()
    {
        _store.Edit(Template, "id: base", "id: other");
        ErrorAssert.Has(_store.LoadErrors(), Template, "id", "must match the file name 'base', found 'other'");
    }

    [Fact]
    public void A_template_version_that_is_not_semver_is_rejected()
    {
        _store.Edit(Template, "version: 1.0.0", "version: \"1.0\"");
        ErrorAssert.Has(_store.LoadErrors(), Template, "version", "expected a semantic version such as 1.0.0, found '1.0'");
    }

    [Fact]
    public void A_base_that_is_not_an_image_reference_is_rejected()
    {
        _store.Edit(Template, "base/busybox:1.35", "Base/BusyBox:latest!");
        ErrorAssert.Has(_store.LoadErrors(), Template, "base", "expected an image reference such as base/busybox:1.35", "'Base/BusyBox:latest!'");
    }

    [Fact]
    public void A_template_with_empty_layers_is_rejected()
    {
        _store.Edit(Template, "[alpha, beta]", "[]");
        ErrorAssert.Has(_store.LoadErrors(), Template, "layers", "must list at least one module slot");
    }

    [Fact]
    public void A_template_listing_a_layer_twice_is_rejected()
    {
        _store.Edit(Template, "[alpha, beta]", "[alpha, beta, alpha]");
        ErrorAssert.Has(_store.LoadErrors(), Template, "layers[2]", "slot alpha is listed twice");
    }

    [Fact]
    public void A_template_limit_out_of_range_is_rejected()
    {
        _store.Edit(Template, "max_image_mb: 50", "max_image_mb: 0");
        ErrorAssert.Has(_store.LoadErrors(), Template, "limits.max_image_mb", "expected a number from 1 to 1000000, found 0");
    }

    [Fact]
    public void A_template_naming_a_test_suite_that_does_not_exist_is_rejected()
    {
        _store.Edit(Template, "tests: basic", "tests: nosuch");
        ErrorAssert.Has(_store.LoadErrors(), Template, "tests", "test suite 'nosuch' does not exist: expected one of basic");
    }

    [Fact]
    public void A_deleted_test_suite_is_reported_by_the_template_that_needs_it()
    {
        _store.Delete(Suite);
        ErrorAssert.Has(_store.LoadErrors(), Template, "tests", "test suite 'basic' does not exist: expected one of (none)");
    }

    [Fact]
    public void A_file_name_that_is_not_a_valid_id_is_rejected()
    {
        _store.Write("templates/Base.yaml", TempManifestStore.TemplateYaml.Replace("id: base", "id: Base"));
        ErrorAssert.Has(_store.LoadErrors(), "templates/Base.yaml", "", "file name 'Base' is not a valid id");
    }

    [Fact]
    public void A_store_entry_with_an_unknown_template_is_rejected()
    {
        _store.Edit(Store, "template: base", "template: nosuch");
        ErrorAssert.Has(_store.LoadErrors(), Store, "app.template", "template 'nosuch' does not exist: expected one of base");
    }

    [Fact]
    public void A_store_entry_with_a_slot_that_is_not_in_the_template_is_rejected()
    {
        _store.Edit(Store, "beta: 1.0.0}", "beta: 1.0.0, gamma: 1.0.0}");
        ErrorAssert.Has(_store.LoadErrors(), Store, "app.modules.gamma", "slot 'gamma' is not a layer of template base: expected one of alpha, beta");
    }

    [Fact]
    public void A_store_entry_with_an_unknown_module_version_is_rejected()
    {
        _store.Edit(Store, "alpha: 1.0.0", "alpha: 9.9.9");
        ErrorAssert.Has(_store.LoadErrors(), Store, "app.modules.alpha", "module alpha has no version '9.9.9': available 1.0.0, 1.1.0");
    }

    [Fact]
    public void A_store_entry_with_a_module_version_that_is_not_semver_is_rejected()
    {
        _store.Edit(Store, "alpha: 1.0.0", "alpha: latest");
        ErrorAssert.Has(_store.LoadErrors(), Store, "app.modules.alpha", "expected a semantic version such as 1.0.0, found 'latest'");
    }

    [Fact]
    public void A_template_layer_without_a_module_in_the_store_entry_is_rejected()
    {
        _store.Edit(Store, "{alpha: 1.0.0, beta: 1.0.0}", "{alpha: 1.0.0}");
        ErrorAssert.Has(_store.LoadErrors(), Store, "app.modules", "layer 'beta' of template base has no module version");
    }

    [Fact]
    public void An_unknown_platform_in_the_store_is_rejected()
    {
        _store.Edit(Store, "linux/arm64", "linux/s390x");
        ErrorAssert.Has(_store.LoadErrors(), Store, "app.platforms[1]", "unknown platform 'linux/s390x': expected one of linux/amd64, linux/arm64");
    }

    [Fact]
    public void An_empty_platform_list_in_the_store_is_rejected()
    {
        _store.Edit(Store, "[linux/amd64, linux/arm64]", "[]");
        ErrorAssert.Has(_store.LoadErrors(), Store, "app.platforms", "must list at least one platform");
    }

    [Fact]
    public void An_unknown_platform_in_a_test_is_rejected()
    {
        _store.Write(Suite, TempManifestStore.SuiteYaml + "\n    platforms: [windows/amd64]");
        ErrorAssert.Has(_store.LoadErrors(), Suite, "tests[0].platforms[0]", "unknown platform 'windows/amd64'");
    }

    [Fact]
    public void An_unknown_accelerator_is_rejected()
    {
        _store.Write(Store, TempManifestStore.StoreYaml + "\n  accelerator: tpu");
        ErrorAssert.Has(_store.LoadErrors(), Store, "app.accelerator", "expected one of gpu, found 'tpu'");
    }

    [Fact]
    public void The_gpu_accelerator_is_accepted()
    {
        _store.Write(Store, TempManifestStore.StoreYaml + "\n  accelerator: gpu");
        Assert.Equal("gpu", _store.Load().Entries["app"].Accelerator);
    }

    [Fact]
    public void A_manifest_id_with_dot_dot_slash_is_rejected()
    {
        _store.Edit(Store, "app:", "\"../app\":");
        ErrorAssert.Has(_store.LoadErrors(), Store, "../app", "manifest id '../app' is not valid", "no '/', '..'");
    }

    [Fact]
    public void A_manifest_id_with_a_trailing_newline_is_rejected()
    {
        _store.Edit(Store, "app:", "\"app\\n\":");
        ErrorAssert.Has(_store.LoadErrors(), Store, "app\n", "manifest id 'app\\n' is not valid");
    }

    [Fact]
    public void A_module_name_with_dot_dot_slash_in_a_store_entry_is_rejected()
    {
        _store.Edit(Store, "alpha: 1.0.0", "\"../alpha\": 1.0.0");
        ErrorAssert.Has(_store.LoadErrors(), Store, "app.modules.../alpha", "module name '../alpha' is not valid");
    }

    [Fact]
    public void A_module_name_with_a_newline_in_a_store_entry_is_rejected()
    {
        _store.Edit(Store, "alpha: 1.0.0", "\"alpha\\n\": 1.0.0");
        ErrorAssert.Has(_store.LoadErrors(), Store, "app.modules.alpha\n", "module name 'alpha\\n' is not valid");
    }

    [Fact]
    public void A_module_name_with_an_inner_newline_in_a_store_entry_is_rejected()
    {
        _store.Edit(Store, "alpha: 1.0.0", "\"al\\npha\": 1.0.0");
        ErrorAssert.Has(_store.LoadErrors(), Store, "app.modules.al\npha", "module name 'al\\npha' is not valid");
    }

    [Fact]
    public void A_template_layer_with_dot_dot_slash_is_rejected()
    {
        _store.Edit(Template, "[alpha, beta]", "[alpha, ../beta]");
        ErrorAssert.Has(_store.LoadErrors(), Template, "layers[1]", "slot name '../beta' is not valid");
    }

    [Fact]
    public void A_template_layer_with_a_newline_is_rejected()
    {
        _store.Edit(Template, "[alpha, beta]", "[alpha, \"beta\\n\"]");
        ErrorAssert.Has(_store.LoadErrors(), Template, "layers[1]", "slot name 'beta\\n' is not valid");
    }

    [Fact]
    public void A_module_directory_name_that_is_not_safe_is_rejected()
    {
        _store.Write("modules/Gamma/1.0.0/module.yaml", TempManifestStore.ModuleYaml("gamma", "1.0.0"));
        ErrorAssert.Has(_store.LoadErrors(), "modules/Gamma", "", "module directory name 'Gamma' is not valid");
    }

    [Fact]
    public void A_module_version_directory_that_is_not_semver_is_rejected()
    {
        _store.Write("modules/alpha/2.0/module.yaml", TempManifestStore.ModuleYaml("alpha", "2.0"));
        ErrorAssert.Has(_store.LoadErrors(), "modules/alpha/2.0", "", "module version directory '2.0' is not a semantic version");
    }

    [Fact]
    public void A_module_without_module_yaml_is_rejected()
    {
        _store.Delete(AlphaModule);
        ErrorAssert.Has(_store.LoadErrors(), "modules/alpha/1.0.0", "", "has no module.yaml");
    }

    [Fact]
    public void A_module_yaml_whose_name_does_not_match_its_directory_is_rejected()
    {
        _store.Edit(AlphaModule, "name: alpha", "name: other");
        ErrorAssert.Has(_store.LoadErrors(), AlphaModule, "name", "must match the directory name 'alpha', found 'other'");
    }

    [Fact]
    public void A_module_yaml_whose_version_does_not_match_its_directory_is_rejected()
    {
        _store.Edit(AlphaModule, "version: 1.0.0", "version: 1.0.1");
        ErrorAssert.Has(_store.LoadErrors(), AlphaModule, "version", "must match the directory name '1.0.0', found '1.0.1'");
    }

    [Fact]
    public void A_module_yaml_without_an_owner_team_is_rejected()
    {
        _store.Edit(AlphaModule, ", team: alpha", "");
        ErrorAssert.Has(_store.LoadErrors(), AlphaModule, "owner.team", "is required");
    }

    [Fact]
    public void A_module_without_a_dockerfile_is_rejected()
    {
        _store.Delete(BetaFragment);
        ErrorAssert.Has(_store.LoadErrors(), "modules/beta/1.0.0", "Dockerfile", "is missing: a module needs a Dockerfile fragment");
    }

    [Fact]
    public void An_empty_fragment_is_rejected()
    {
        _store.Write(BetaFragment, "# only a comment\n\n");
        ErrorAssert.Has(_store.LoadErrors(), BetaFragment, "", "the fragment has no instructions");
    }

    [Fact]
    public void A_fragment_with_from_is_rejected()
    {
        _store.Write(BetaFragment, "RUN true\nFROM alpine:3.20\n");
        ErrorAssert.Has(_store.LoadErrors(), BetaFragment, "", "line 2: FROM is not allowed in a module fragment");
    }

    [Fact]
    public void A_fragment_with_onbuild_is_rejected()
    {
        _store.Write(BetaFragment, "onbuild RUN rm -rf /\n");
        ErrorAssert.Has(_store.LoadErrors(), BetaFragment, "", "line 1: ONBUILD is not allowed");
    }

    [Fact]
    public void A_fragment_adding_a_url_is_rejected()
    {
        _store.Write(BetaFragment, "ADD https://example.com/tool.tar.gz /opt/\n");
        ErrorAssert.Has(_store.LoadErrors(), BetaFragment, "", "line 1: ADD from a URL (https://example.com/tool.tar.gz) is not allowed");
    }

    [Fact]
    public void A_fragment_copying_from_another_stage_is_rejected()
    {
        _store.Write(BetaFragment, "COPY --from=builder files/x /x\n");
        ErrorAssert.Has(_store.LoadErrors(), BetaFragment, "", "line 1: COPY --from is not allowed");
    }

    [Fact]
    public void A_fragment_copying_a_file_that_does_not_exist_is_rejected()
    {
        _store.Write(BetaFragment, "RUN true\nCOPY files/missing.sh /usr/local/bin/missing\n");
        ErrorAssert.Has(_store.LoadErrors(), BetaFragment, "", "line 2: COPY source 'files/missing.sh' does not exist in the module directory");
    }

    [Fact]
    public void A_fragment_copying_from_outside_the_module_is_rejected()
    {
        _store.Write(BetaFragment, "COPY ../../alpha/1.0.0/files/alpha.sh /x\n");
        ErrorAssert.Has(_store.LoadErrors(), BetaFragment, "", "line 1: COPY source '../../alpha/1.0.0/files/alpha.sh' must be a relative path inside the module directory");
    }

    [Fact]
    public void A_fragment_copying_an_absolute_path_is_rejected()
    {
        _store.Write(BetaFragment, "COPY /etc/passwd /x\n");
        ErrorAssert.Has(_store.LoadErrors(), BetaFragment, "", "COPY source '/etc/passwd' must be a relative path inside the module directory");
    }

    [Fact]
    public void A_test_with_an_empty_run_is_rejected()
    {
        _store.Edit(Suite, "[sh, -c, echo ok]", "[]");
        ErrorAssert.Has(_store.LoadErrors(), Suite, "tests[0].run", "must be a non-empty argv list");
    }

    [Fact]
    public void A_test_suite_without_tests_is_rejected()
    {
        _store.Write(Suite, "tests: []\n");
        ErrorAssert.Has(_store.LoadErrors(), Suite, "tests", "must list at least one test");
    }

    [Fact]
    public void A_test_defined_twice_is_rejected()
    {
        _store.Write(Suite, "tests:\n  - {name: a, run: [true]}\n  - {name: a, run: [false]}\n");
        ErrorAssert.Has(_store.LoadErrors(), Suite, "tests[1].name", "test a is defined twice");
    }

    [Fact]
    public void A_test_with_an_invalid_regular_expression_is_rejected()
    {
        _store.Edit(Suite, "stdout: ok", "stdout: '/([a-z/'");
        ErrorAssert.Has(_store.LoadErrors(), Suite, "tests[0].expect.stdout", "invalid regular expression");
    }

    [Fact]
    public void A_test_with_an_exit_code_above_255_is_rejected()
    {
        _store.Edit(Suite, "exit_code: 0", "exit_code: 300");
        ErrorAssert.Has(_store.LoadErrors(), Suite, "tests[0].expect.exit_code", "expected a number from 0 to 255, found 300");
    }

    [Fact]
    public void A_test_with_a_bad_duration_is_rejected()
    {
        _store.Edit(Suite, "timeout: 30s", "timeout: 5 minutes");
        ErrorAssert.Has(_store.LoadErrors(), Suite, "tests[0].timeout", "expected a duration such as 30s, 2m or 2h, found '5 minutes'");
    }

    [Fact]
    public void A_test_with_a_duration_too_large_to_represent_is_rejected_not_thrown()
    {
        _store.Edit(Suite, "timeout: 30s", "timeout: 99999999999999999999h");
        ErrorAssert.Has(_store.LoadErrors(), Suite, "tests[0].timeout", "expected a duration");
    }

    [Fact]
    public void A_suite_id_that_does_not_match_its_file_name_is_rejected()
    {
        _store.Write(Suite, "id: other\n" + TempManifestStore.SuiteYaml);
        ErrorAssert.Has(_store.LoadErrors(), Suite, "id", "must match the file name 'basic', found 'other'");
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        _store.Edit(Template, "version: 1.0.0", "version: one");
        _store.Edit(Suite, "timeout: 30s", "timeout: soon");
        _store.Write(BetaFragment, "FROM scratch\n");
        var errors = _store.LoadErrors();
        ErrorAssert.Has(errors, Template, "version", "found 'one'");
        ErrorAssert.Has(errors, Suite, "tests[0].timeout", "found 'soon'");
        ErrorAssert.Has(errors, BetaFragment, "", "FROM is not allowed");
    }

    [Fact]
    public void A_template_saved_as_yml_is_named_instead_of_silently_ignored()
    {
        _store.Write("templates/other.yml", "id: other\n");
        var error = Assert.Single(_store.LoadErrors());
        Assert.EndsWith("templates/other.yml", error.File);
        Assert.Contains("manifest files end in .yaml", error.Message);
    }
}
