using Factory.Manifests;
using Factory.UnitTests.Support;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Factory.UnitTests;

/// <summary>
/// manifests/schema/*.schema.json: every shipped YAML file validates against its schema, broken documents do
/// not, and on documents the schema can judge on its own the schema and the C# readers agree.
/// </summary>
public sealed class ManifestSchemaTests
{
    /// <summary>Which schema a file under manifests/ is checked against, or null for files that have none.</summary>
    private static string? SchemaFor(string relative) => relative.Split('/') switch
    {
        ["store.yaml"] => "store",
        ["templates", _] => "template",
        ["tests", _] => "test-suite",
        ["plans", _] => "plan",
        ["modules", _, _, "module.yaml"] => "module",
        _ => null,
    };

    public static TheoryData<string> ShippedYamlFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in ShippedYaml()) data.Add(file);
        return data;
    }

    private static IEnumerable<string> ShippedYaml() =>
        Directory.EnumerateFiles(RepoPaths.Manifests, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(RepoPaths.Manifests, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    private static async Task<ICollection<ValidationError>> ValidateAsync(string schemaName, string yaml)
    {
        var schema = await JsonSchema.FromFileAsync(Path.Combine(RepoPaths.Schemas, schemaName + ".schema.json"));
        return schema.Validate(YamlJson.ToJsonText(yaml));
    }

    /// <summary>The errors with NJsonSchema's wrappers (one per alternative type or child schema) opened up.</summary>
    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors) => errors.SelectMany(e => e switch
    {
        MultiTypeValidationError multi => Flatten(multi.Errors.Values.SelectMany(v => v)).Prepend(e),
        ChildSchemaValidationError child => Flatten(child.Errors.Values.SelectMany(v => v)).Prepend(e),
        _ => [e],
    });

    private static string Describe(IEnumerable<ValidationError> errors) =>
        errors.Any() ? string.Join("; ", errors.Select(e => e.ToString())) : "(no schema errors)";

    [Fact]
    public void There_is_a_draft_07_schema_for_each_kind_of_manifest_file()
    {
        foreach (var name in new[] { "store", "template", "module", "test-suite", "plan" })
        {
            var text = File.ReadAllText(Path.Combine(RepoPaths.Schemas, name + ".schema.json"));
            Assert.Contains("\"$schema\": \"http://json-schema.org/draft-07/schema#\"", text);
        }
    }

    [Fact]
    public void Every_shipped_yaml_file_has_a_schema()
    {
        var files = ShippedYaml().ToList();
        Assert.Contains("store.yaml", files);
        Assert.Contains(files, f => f.StartsWith("templates/", StringComparison.Ordinal));
        Assert.Contains(files, f => f.StartsWith("modules/", StringComparison.Ordinal));
        Assert.Contains(files, f => f.StartsWith("tests/", StringComparison.Ordinal));
        Assert.Contains(files, f => f.StartsWith("plans/", StringComparison.Ordinal));
        Assert.All(files, f => Assert.True(SchemaFor(f) is not null, $"{f} is not covered by any schema"));
    }

    [Theory]
    [MemberData(nameof(ShippedYamlFiles))]
    public async Task A_shipped_yaml_file_validates_against_its_schema(string relative)
    {
        var errors = await ValidateAsync(SchemaFor(relative)!, File.ReadAllText(Path.Combine(RepoPaths.Manifests, relative)));
        Assert.True(errors.Count == 0, $"{relative}: {Describe(errors)}");
    }

    [Fact]
    public void Yaml_scalars_become_json_strings_unless_they_are_numbers_in_yaml()
    {
        var json = YamlJson.ToJsonText("""
            version: 1.0.0
            priority: 5
            timeout: 30s
            quoted: "69"
            empty: ~
            flag: true
            list: [linux/amd64, 0]
            """);
        Assert.Equal("""{"version":"1.0.0","priority":5,"timeout":"30s","quoted":"69","empty":null,"flag":true,"list":["linux/amd64",0]}""", json);
    }

    [Fact]
    public async Task A_plan_with_priority_12_fails_the_plan_schema()
    {
        var errors = await ValidateAsync("plan", TempManifestStore.PlanYaml.Replace("priority: 5", "priority: 12"));
        Assert.Equal("priority", Assert.Single(errors).Property);
        Assert.Contains(Flatten(errors), e => e.Kind == ValidationErrorKind.NumberTooBig && e.Property == "priority");
    }

    [Fact]
    public async Task A_template_without_layers_fails_the_template_schema()
    {
        var errors = await ValidateAsync("template", TempManifestStore.TemplateYaml.Replace("layers: [alpha, beta]\n", ""));
        var error = Assert.Single(errors);
        Assert.Equal(ValidationErrorKind.PropertyRequired, error.Kind);
        Assert.Equal("layers", error.Property);
    }

    [Fact]
    public async Task A_module_name_with_a_trailing_newline_fails_the_store_schema_as_it_fails_the_reader()
    {
        var errors = await ValidateAsync("store", TempManifestStore.StoreYaml.Replace("{alpha: 1.0.0,", "{\"alpha\\n\": 1.0.0,"));
        Assert.Contains(Flatten(errors), e => e.Kind == ValidationErrorKind.NoAdditionalPropertiesAllowed && e.Path == "#/app.modules.alpha\n");
    }

    /// <summary>Documents whose validity the schema decides alone: the schema and the C# reader must agree on each.</summary>
    public static TheoryData<string, string, string, bool> AgreementCases() => new()
    {
        // label, file in the temp store, content, valid?
        { "store as written", "store.yaml", TempManifestStore.StoreYaml, true },
        { "store with accelerator gpu", "store.yaml", TempManifestStore.StoreYaml + "\n  accelerator: gpu", true },
        { "store with accelerator null", "store.yaml", TempManifestStore.StoreYaml + "\n  accelerator: ~", true },
        { "store with accelerator tpu", "store.yaml", TempManifestStore.StoreYaml + "\n  accelerator: tpu", false },
        { "store with no platforms", "store.yaml", TempManifestStore.StoreYaml.Replace("[linux/amd64, linux/arm64]", "[]"), false },
        { "store with an unknown platform", "store.yaml", TempManifestStore.StoreYaml.Replace("linux/arm64", "linux/s390x"), false },
        { "store with a platform twice", "store.yaml", TempManifestStore.StoreYaml.Replace("linux/arm64", "linux/amd64"), false },
        { "store with a two-part version", "store.yaml", TempManifestStore.StoreYaml.Replace("beta: 1.0.0", "beta: \"1.0\""), false },
        { "store with an unknown entry field", "store.yaml", TempManifestStore.StoreYaml + "\n  colour: red", false },
        { "store without template", "store.yaml", TempManifestStore.StoreYaml.Replace("  template: base\n", ""), false },
        { "store with a ../ manifest id", "store.yaml", TempManifestStore.StoreYaml.Replace("app:", "\"../app\":"), false },
        { "store with a ../ module name", "store.yaml", TempManifestStore.StoreYaml.Replace("{alpha: 1.0.0,", "{\"../alpha\": 1.0.0, alpha: 1.0.0,"), false },

        { "template as written", "templates/base.yaml", TempManifestStore.TemplateYaml, true },
        { "template without limits, with description", "templates/base.yaml", TempManifestStore.TemplateYaml.Replace("limits: {max_image_mb: 50}", "description: Hello."), true },
        { "template with null limits", "templates/base.yaml", TempManifestStore.TemplateYaml.Replace("{max_image_mb: 50}", "~"), true },
        { "template with a registry and digest base", "templates/base.yaml", TempManifestStore.TemplateYaml.Replace("base/busybox:1.35", "127.0.0.1:5000/base/busybox@sha256:" + new string('a', 64)), true },
        { "template without layers", "templates/base.yaml", TempManifestStore.TemplateYaml.Replace("layers: [alpha, beta]\n", ""), false },
        { "template with empty layers", "templates/base.yaml", TempManifestStore.TemplateYaml.Replace("[alpha, beta]", "[]"), false },
        { "template with a layer twice", "templates/base.yaml", TempManifestStore.TemplateYaml.Replace("[alpha, beta]", "[alpha, beta, alpha]"), false },
        { "template with a ../ layer", "templates/base.yaml", TempManifestStore.TemplateYaml.Replace("[alpha, beta]", "[alpha, ../beta]"), false },
        { "template with a newline in a layer", "templates/base.yaml", TempManifestStore.TemplateYaml.Replace("[alpha, beta]", "[alpha, \"beta\\n\"]"), false },
        { "template with a two-part version", "templates/base.yaml", TempManifestStore.TemplateYaml.Replace("version: 1.0.0", "version: \"1.0\""), false },
        { "template with a bad base", "templates/base.yaml", TempManifestStore.TemplateYaml.Replace("base/busybox:1.35", "Base/BusyBox"), false },
        { "template with max_image_mb 0", "templates/base.yaml", TempManifestStore.TemplateYaml.Replace("max_image_mb: 50", "max_image_mb: 0"), false },
        { "template with an unknown limit", "templates/base.yaml", TempManifestStore.TemplateYaml.Replace("max_image_mb: 50", "max_mb: 50"), false },
        { "template with an unknown field", "templates/base.yaml", TempManifestStore.TemplateYaml + "\ncolour: red", false },
        { "template without owner", "templates/base.yaml", TempManifestStore.TemplateYaml.Replace("owner: team", ""), false },

        { "suite as written", "tests/basic.yaml", TempManifestStore.SuiteYaml, true },
        { "suite with id, null expect, no platforms", "tests/basic.yaml", "id: basic\n" + TempManifestStore.SuiteYaml.Replace("{exit_code: 0, stdout: ok}", "~") + "\n    platforms: []", true },
        { "suite with no tests", "tests/basic.yaml", "tests: []", false },
        { "suite with empty run", "tests/basic.yaml", TempManifestStore.SuiteYaml.Replace("[sh, -c, echo ok]", "[]"), false },
        { "suite with a bad test name", "tests/basic.yaml", TempManifestStore.SuiteYaml.Replace("name: runs", "name: Runs Fast"), false },
        { "suite with exit code 256", "tests/basic.yaml", TempManifestStore.SuiteYaml.Replace("exit_code: 0", "exit_code: 256"), false },
        { "suite with timeout 1d", "tests/basic.yaml", TempManifestStore.SuiteYaml.Replace("timeout: 30s", "timeout: 1d"), false },
        { "suite with timeout 0s", "tests/basic.yaml", TempManifestStore.SuiteYaml.Replace("timeout: 30s", "timeout: 0s"), false },
        { "suite with an unknown expectation", "tests/basic.yaml", TempManifestStore.SuiteYaml.Replace("stdout: ok", "stderr: ok"), false },
        { "suite with an unknown platform", "tests/basic.yaml", TempManifestStore.SuiteYaml + "\n    platforms: [linux/s390x]", false },
        { "suite with a fresh container", "tests/basic.yaml", TempManifestStore.SuiteYaml + "\n    fresh_container: true", true },
        { "suite with a null fresh container", "tests/basic.yaml", TempManifestStore.SuiteYaml + "\n    fresh_container: ~", true },
        { "suite with a quoted fresh container", "tests/basic.yaml", TempManifestStore.SuiteYaml + "\n    fresh_container: \"true\"", false },
        { "suite with fresh container 1", "tests/basic.yaml", TempManifestStore.SuiteYaml + "\n    fresh_container: 1", false },

        { "module as written", "modules/alpha/1.0.0/module.yaml", TempManifestStore.ModuleYaml("alpha", "1.0.0"), true },
        { "module with extra owner fields", "modules/alpha/1.0.0/module.yaml", TempManifestStore.ModuleYaml("alpha", "1.0.0").Replace("team: alpha", "team: alpha, email: a@example.com"), true },
        { "module without owner", "modules/alpha/1.0.0/module.yaml", TempManifestStore.ModuleYaml("alpha", "1.0.0").Replace("owner: {handle: \"@alpha\", team: alpha}", ""), false },
        { "module without owner team", "modules/alpha/1.0.0/module.yaml", TempManifestStore.ModuleYaml("alpha", "1.0.0").Replace(", team: alpha", ""), false },
        { "module with an unknown field", "modules/alpha/1.0.0/module.yaml", TempManifestStore.ModuleYaml("alpha", "1.0.0") + "\nlicense: MIT", false },

        { "plan as written", "plans/p.yaml", TempManifestStore.PlanYaml, true },
        { "plan with every optional field", "plans/p.yaml", TempManifestStore.PlanYaml + """

            include:
              - {alpha: 1.0.0, platform: linux/arm64}
            exclude:
              - {alpha: 1.1.0}
            deadline: 1h30m
            concurrency: 4
            labels: {purpose: test}
            description: Everything.
            """, true },
        { "plan with null platforms", "plans/p.yaml", TempManifestStore.PlanYaml.Replace("[linux/amd64]", "~"), true },
        { "plan with priority 12", "plans/p.yaml", TempManifestStore.PlanYaml.Replace("priority: 5", "priority: 12"), false },
        { "plan with priority -1", "plans/p.yaml", TempManifestStore.PlanYaml.Replace("priority: 5", "priority: -1"), false },
        { "plan with priority high", "plans/p.yaml", TempManifestStore.PlanYaml.Replace("priority: 5", "priority: high"), false },
        { "plan with an empty matrix", "plans/p.yaml", TempManifestStore.PlanYaml.Replace("matrix:\n  alpha: [1.0.0, 1.1.0]", "matrix: {}"), true },
        { "plan with a null matrix", "plans/p.yaml", TempManifestStore.PlanYaml.Replace("matrix:\n  alpha: [1.0.0, 1.1.0]", "matrix: ~"), true },
        { "plan without matrix", "plans/p.yaml", TempManifestStore.PlanYaml.Replace("matrix:\n  alpha: [1.0.0, 1.1.0]\n", ""), true },
        { "plan with a list for a matrix", "plans/p.yaml", TempManifestStore.PlanYaml.Replace("matrix:\n  alpha: [1.0.0, 1.1.0]", "matrix: [1.0.0]"), false },
        { "plan with a slot without versions", "plans/p.yaml", TempManifestStore.PlanYaml.Replace("[1.0.0, 1.1.0]", "[]"), false },
        { "plan with a ../ slot", "plans/p.yaml", TempManifestStore.PlanYaml.Replace("  alpha:", "  ../alpha:"), false },
        { "plan with a newline in a slot", "plans/p.yaml", TempManifestStore.PlanYaml.Replace("  alpha:", "  \"alpha\\n\":"), false },
        { "plan with an empty exclude entry", "plans/p.yaml", TempManifestStore.PlanYaml + "\nexclude: [{}]", false },
        { "plan including an unknown platform", "plans/p.yaml", TempManifestStore.PlanYaml + "\ninclude: [{platform: linux/s390x}]", false },
        { "plan with deadline 5 minutes", "plans/p.yaml", TempManifestStore.PlanYaml + "\ndeadline: 5 minutes", false },
        { "plan with an RFC 3339 deadline", "plans/p.yaml", TempManifestStore.PlanYaml + "\ndeadline: 2030-01-01T00:00:00Z", true },
        { "plan with concurrency 0", "plans/p.yaml", TempManifestStore.PlanYaml + "\nconcurrency: 0", false },
        { "plan with no platforms", "plans/p.yaml", TempManifestStore.PlanYaml.Replace("[linux/amd64]", "[]"), false },
        { "plan with a list label", "plans/p.yaml", TempManifestStore.PlanYaml + "\nlabels: {purpose: [a]}", false },
        { "plan with an unknown field", "plans/p.yaml", TempManifestStore.PlanYaml + "\nowner: me", false },
        { "plan without id", "plans/p.yaml", TempManifestStore.PlanYaml.Replace("id: p\n", ""), false },
    };

    [Theory]
    [MemberData(nameof(AgreementCases))]
    public async Task The_schema_and_the_reader_agree(string label, string file, string content, bool valid)
    {
        using var store = new TempManifestStore();
        store.Write(file, content);
        IReadOnlyList<InputError> readerErrors = [];
        try
        {
            var loaded = store.Load();
            if (file.StartsWith("plans/", StringComparison.Ordinal)) PlanReader.Load(store.PathOf(file), loaded);
        }
        catch (InvalidInputException ex) { readerErrors = ex.Errors; }
        var schemaErrors = await ValidateAsync(SchemaFor(file)!, content);

        Assert.True(valid == (readerErrors.Count == 0), $"{label}: the reader says {(readerErrors.Count == 0 ? "valid" : string.Join("; ", readerErrors))}");
        Assert.True(valid == (schemaErrors.Count == 0), $"{label}: the schema says {Describe(schemaErrors)}");
    }

    [Theory]
    [InlineData("1.0.0", true)]
    [InlineData("1.1.0-rc.1", true)]
    [InlineData("1.0.0+build.5", true)]
    [InlineData("1.0.0-0a", true)]
    [InlineData("1.0", false)]
    [InlineData("01.0.0", false)]
    [InlineData("1.0.0-01", false)]
    [InlineData("1.0.0.0", false)]
    [InlineData("v1.0.0", false)]
    [InlineData("1.0.0-", false)]
    [InlineData("1.0.0\n", false)]
    public async Task The_semver_pattern_agrees_with_the_reader(string version, bool valid)
    {
        Assert.Equal(valid, Names.IsSemVer(version));
        var schema = await JsonSchema.FromFileAsync(Path.Combine(RepoPaths.Schemas, "module.schema.json"));
        var json = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["name"] = "m", ["version"] = version, ["owner"] = new Dictionary<string, string> { ["handle"] = "h", ["team"] = "t" },
        });
        Assert.Equal(valid, schema.Validate(json).Count == 0);
    }

    [Theory]
    [InlineData("30s", true)]
    [InlineData("2m", true)]
    [InlineData("2h", true)]
    [InlineData("1h30m15s", true)]
    [InlineData("0h0m1s", true)]
    [InlineData("", false)]
    [InlineData("0s", false)]
    [InlineData("30", false)]
    [InlineData("1d", false)]
    [InlineData("30m1h", false)]
    [InlineData("30S", false)]
    public async Task The_duration_pattern_agrees_with_the_reader(string duration, bool valid)
    {
        Assert.Equal(valid, DurationParser.TryParse(duration, out _));
        var schema = await JsonSchema.FromFileAsync(Path.Combine(RepoPaths.Schemas, "plan.schema.json"));
        var json = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = "p", ["manifest"] = "app", ["matrix"] = new Dictionary<string, string[]> { ["a"] = ["1.0.0"] }, ["deadline"] = duration,
        });
        Assert.Equal(valid, schema.Validate(json).Count == 0);
    }

    [Theory]
    [InlineData("core", true)]
    [InlineData("deb-security", true)]
    [InlineData("a.b_c-1", true)]
    [InlineData("Core", false)]
    [InlineData("-core", false)]
    [InlineData("a..b", false)]
    [InlineData("../core", false)]
    [InlineData("a/b", false)]
    [InlineData("a b", false)]
    [InlineData("core\n", false)]
    public async Task The_safe_name_pattern_agrees_with_the_reader(string name, bool valid)
    {
        Assert.Equal(valid, Names.IsSafeName(name));
        var schema = await JsonSchema.FromFileAsync(Path.Combine(RepoPaths.Schemas, "plan.schema.json"));
        var json = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = name, ["manifest"] = "app", ["matrix"] = new Dictionary<string, string[]> { ["a"] = ["1.0.0"] },
        });
        Assert.Equal(valid, schema.Validate(json).Count == 0);
    }
}
