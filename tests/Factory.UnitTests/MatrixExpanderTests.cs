using Factory.Contracts.Manifests;
using Factory.Planning;
using Factory.Manifests;

namespace Factory.UnitTests;

/// <summary>MatrixExpander.Expand: matrix product × platforms, less exclude, plus include, in a fixed order.</summary>
public sealed class MatrixExpanderTests
{
    private const string Amd = "linux/amd64";
    private const string Arm = "linux/arm64";

    /// <summary>Template t with layers a, b, c; manifest m defaults a=1.0.0 b=1.0.0 c=1.0.0 on amd64 and arm64.</summary>
    private static readonly ManifestStore Store = new()
    {
        Root = "/nonexistent",
        Entries = new Dictionary<string, ManifestEntry>
        {
            ["m"] = new() { Id = "m", Template = "t", Modules = new Dictionary<string, string> { ["a"] = "1.0.0", ["b"] = "1.0.0", ["c"] = "1.0.0" }, Platforms = [Amd, Arm] },
        },
        Templates = new Dictionary<string, Template>
        {
            ["t"] = new() { Id = "t", Version = "1.0.0", Base = "base/busybox:1.35", Layers = ["a", "b", "c"], Tests = "s", Owner = "o" },
        },
        TestSuites = new Dictionary<string, TestSuite>(),
        Modules = new Dictionary<string, IReadOnlyDictionary<string, Module>>(),
    };

    private static Plan Plan(
        Dictionary<string, IReadOnlyList<string>> matrix, IReadOnlyList<string>? platforms = null,
        IReadOnlyList<IReadOnlyDictionary<string, string>>? include = null, IReadOnlyList<IReadOnlyDictionary<string, string>>? exclude = null) => new()
    {
        Id = "p", Manifest = "m", Matrix = matrix, Platforms = platforms, Include = include ?? [], Exclude = exclude ?? [], Source = "plans/p.yaml",
    };

    private static Dictionary<string, string> Partial(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    /// <summary>"a=… b=… c=… platform" per combination, in order.</summary>
    private static List<string> Describe(IEnumerable<Combination> combinations) => combinations.Select(c => c.Describe(["a", "b", "c"])).ToList();

    [Fact]
    public void The_product_of_the_matrix_times_the_platforms_is_expanded_in_layer_then_platform_order()
    {
        var plan = Plan(new() { ["a"] = ["1.0.0", "2.0.0"], ["b"] = ["1.0.0", "1.1.0"] }, platforms: [Amd, Arm]);

        Assert.Equal(
        [
            "a=1.0.0 b=1.0.0 c=1.0.0 linux/amd64", "a=1.0.0 b=1.0.0 c=1.0.0 linux/arm64",
            "a=1.0.0 b=1.1.0 c=1.0.0 linux/amd64", "a=1.0.0 b=1.1.0 c=1.0.0 linux/arm64",
            "a=2.0.0 b=1.0.0 c=1.0.0 linux/amd64", "a=2.0.0 b=1.0.0 c=1.0.0 linux/arm64",
            "a=2.0.0 b=1.1.0 c=1.0.0 linux/amd64", "a=2.0.0 b=1.1.0 c=1.0.0 linux/arm64",
        ], Describe(MatrixExpander.Expand(plan, Store)));
    }

    [Fact]
    public void Without_plan_platforms_the_manifest_platforms_are_used()
    {
        var combinations = MatrixExpander.Expand(Plan(new() { ["a"] = ["1.0.0"] }), Store);
        Assert.Equal([Amd, Arm], combinations.Select(c => c.Platform));
    }

    [Fact]
    public void Plan_platforms_restrict_the_expansion()
    {
        var combinations = MatrixExpander.Expand(Plan(new() { ["a"] = ["1.0.0", "2.0.0"] }, platforms: [Arm]), Store);
        Assert.Equal(["a=1.0.0 b=1.0.0 c=1.0.0 linux/arm64", "a=2.0.0 b=1.0.0 c=1.0.0 linux/arm64"], Describe(combinations));
    }

    [Fact]
    public void An_exclude_removes_every_combination_it_matches()
    {
        var plan = Plan(new() { ["a"] = ["1.0.0", "2.0.0"], ["b"] = ["1.0.0", "1.1.0"] }, platforms: [Amd, Arm], exclude: [Partial(("a", "1.0.0"))]);
        var combinations = MatrixExpander.Expand(plan, Store);
        Assert.Equal(4, combinations.Count);
        Assert.All(combinations, c => Assert.Equal("2.0.0", c.Modules["a"]));
    }

    [Fact]
    public void An_exclude_can_match_by_platform()
    {
        var plan = Plan(new() { ["a"] = ["1.0.0", "2.0.0"] }, platforms: [Amd, Arm], exclude: [Partial(("a", "2.0.0"), ("platform", Arm))]);
        Assert.Equal(
            ["a=1.0.0 b=1.0.0 c=1.0.0 linux/amd64", "a=1.0.0 b=1.0.0 c=1.0.0 linux/arm64", "a=2.0.0 b=1.0.0 c=1.0.0 linux/amd64"],
            Describe(MatrixExpander.Expand(plan, Store)));
    }

    [Fact]
    public void An_exclude_matching_nothing_removes_nothing()
    {
        var plan = Plan(new() { ["a"] = ["1.0.0"] }, exclude: [Partial(("a", "9.0.0"))]);
        Assert.Equal(2, MatrixExpander.Expand(plan, Store).Count);
    }

    [Fact]
    public void An_include_adds_its_combination_with_manifest_defaults_on_every_plan_platform()
    {
        var plan = Plan(new() { ["a"] = ["2.0.0"] }, platforms: [Amd, Arm], include: [Partial(("c", "3.0.0"))]);
        Assert.Equal(
        [
            "a=2.0.0 b=1.0.0 c=1.0.0 linux/amd64", "a=2.0.0 b=1.0.0 c=1.0.0 linux/arm64",
            "a=1.0.0 b=1.0.0 c=3.0.0 linux/amd64", "a=1.0.0 b=1.0.0 c=3.0.0 linux/arm64",
        ], Describe(MatrixExpander.Expand(plan, Store)));
    }

    [Fact]
    public void An_include_with_a_platform_adds_only_that_platform()
    {
        var plan = Plan(new() { ["a"] = ["2.0.0"] }, platforms: [Amd], include: [Partial(("b", "1.1.0"), ("platform", Arm))]);
        Assert.Equal(["a=2.0.0 b=1.0.0 c=1.0.0 linux/amd64", "a=1.0.0 b=1.1.0 c=1.0.0 linux/arm64"], Describe(MatrixExpander.Expand(plan, Store)));
    }

    [Fact]
    public void An_include_already_in_the_product_is_not_duplicated()
    {
        var plan = Plan(new() { ["a"] = ["1.0.0", "2.0.0"] }, platforms: [Amd, Arm],
            include: [Partial(("a", "2.0.0"), ("platform", Amd)), Partial(("a", "1.0.0"))]);
        var combinations = MatrixExpander.Expand(plan, Store);
        Assert.Equal(4, combinations.Count);
        Assert.Equal(4, Describe(combinations).Distinct().Count());
    }

    [Fact]
    public void An_include_can_bring_back_an_excluded_combination()
    {
        var plan = Plan(new() { ["a"] = ["1.0.0", "2.0.0"] }, platforms: [Amd],
            exclude: [Partial(("a", "2.0.0"))], include: [Partial(("a", "2.0.0"))]);
        Assert.Equal(["a=1.0.0 b=1.0.0 c=1.0.0 linux/amd64", "a=2.0.0 b=1.0.0 c=1.0.0 linux/amd64"], Describe(MatrixExpander.Expand(plan, Store)));
    }

    [Fact]
    public void A_plan_whose_every_combination_is_excluded_is_rejected()
    {
        var plan = Plan(new() { ["a"] = ["1.0.0", "2.0.0"] }, platforms: [Amd, Arm], exclude: [Partial(("platform", Amd)), Partial(("platform", Arm))]);
        var error = Assert.Single(Assert.Throws<InvalidInputException>(() => MatrixExpander.Expand(plan, Store)).Errors);
        Assert.Equal(("plans/p.yaml", "exclude"), (error.File, error.Field));
        Assert.Contains("expands to no combinations", error.Message);
    }

    [Fact]
    public void Expanding_twice_gives_the_same_combinations_in_the_same_order()
    {
        var plan = Plan(new() { ["c"] = ["2.0.0", "1.0.0"], ["a"] = ["2.0.0", "1.0.0"] }, platforms: [Arm, Amd],
            exclude: [Partial(("a", "1.0.0"), ("c", "1.0.0"))], include: [Partial(("b", "1.1.0"))]);
        var first = Describe(MatrixExpander.Expand(plan, Store));
        var second = Describe(MatrixExpander.Expand(plan, Store));
        Assert.Equal(first, second);
        // Layer order (a, then b, then c) decides nesting; versions and platforms keep the order the plan lists them in.
        Assert.Equal(
        [
            "a=2.0.0 b=1.0.0 c=2.0.0 linux/arm64", "a=2.0.0 b=1.0.0 c=2.0.0 linux/amd64",
            "a=2.0.0 b=1.0.0 c=1.0.0 linux/arm64", "a=2.0.0 b=1.0.0 c=1.0.0 linux/amd64",
            "a=1.0.0 b=1.0.0 c=2.0.0 linux/arm64", "a=1.0.0 b=1.0.0 c=2.0.0 linux/amd64",
            "a=1.0.0 b=1.1.0 c=1.0.0 linux/arm64", "a=1.0.0 b=1.1.0 c=1.0.0 linux/amd64",
        ], first);
    }

    [Fact]
    public void A_combination_matches_a_partial_on_every_key_it_names()
    {
        var combination = new Combination(Partial(("a", "1.0.0"), ("b", "2.0.0")), Amd);
        Assert.True(combination.Matches(Partial(("a", "1.0.0"))));
        Assert.True(combination.Matches(Partial(("a", "1.0.0"), ("platform", Amd))));
        Assert.False(combination.Matches(Partial(("a", "1.0.0"), ("platform", Arm))));
        Assert.False(combination.Matches(Partial(("z", "1.0.0"))));
        Assert.True(combination.Matches(Partial()));
    }

    [Fact]
    public void Without_a_matrix_each_platform_gets_the_manifest_versions()
    {
        Assert.Equal(["a=1.0.0 b=1.0.0 c=1.0.0 linux/amd64", "a=1.0.0 b=1.0.0 c=1.0.0 linux/arm64"], Describe(MatrixExpander.Expand(Plan(new()), Store)));
        Assert.Equal(["a=1.0.0 b=1.0.0 c=1.0.0 linux/arm64"], Describe(MatrixExpander.Expand(Plan(new(), platforms: [Arm]), Store)));
    }

    [Fact]
    public void Without_a_matrix_include_and_exclude_still_apply()
    {
        var plan = Plan(new(), platforms: [Amd, Arm], exclude: [Partial(("platform", Arm))], include: [Partial(("b", "2.0.0"), ("platform", Arm))]);
        Assert.Equal(["a=1.0.0 b=1.0.0 c=1.0.0 linux/amd64", "a=1.0.0 b=2.0.0 c=1.0.0 linux/arm64"], Describe(MatrixExpander.Expand(plan, Store)));
    }

    [Fact]
    public void A_version_or_platform_listed_twice_makes_one_combination()
    {
        var plan = Plan(new() { ["a"] = ["1.0.0", "2.0.0", "1.0.0"] }, platforms: [Amd, Amd], include: [Partial(("a", "3.0.0")), Partial(("a", "3.0.0"))]);
        Assert.Equal(["a=1.0.0 b=1.0.0 c=1.0.0 linux/amd64", "a=2.0.0 b=1.0.0 c=1.0.0 linux/amd64", "a=3.0.0 b=1.0.0 c=1.0.0 linux/amd64"],
            Describe(MatrixExpander.Expand(plan, Store)));
    }

    [Fact]
    public void A_huge_matrix_is_enumerated_one_combination_at_a_time()
    {
        // 10^4 versions on each of 3 slots: 10^12 combinations, which no list could hold; the first few come at once.
        var versions = Enumerable.Range(0, 10_000).Select(i => $"1.{i}.0").ToList();
        var plan = Plan(new() { ["a"] = versions, ["b"] = versions, ["c"] = versions }, platforms: [Amd]);
        Assert.Equal(
            ["a=1.0.0 b=1.0.0 c=1.0.0 linux/amd64", "a=1.0.0 b=1.0.0 c=1.1.0 linux/amd64", "a=1.0.0 b=1.0.0 c=1.2.0 linux/amd64"],
            Describe(MatrixExpander.Enumerate(plan, Store).Take(3)));
    }

    [Fact]
    public void Enumerate_yields_what_expand_returns()
    {
        var plan = Plan(new() { ["a"] = ["1.0.0", "2.0.0"], ["c"] = ["1.0.0", "3.0.0"] }, platforms: [Amd, Arm],
            exclude: [Partial(("a", "2.0.0"), ("platform", Arm))], include: [Partial(("b", "1.1.0"))]);
        Assert.Equal(Describe(MatrixExpander.Expand(plan, Store)), Describe(MatrixExpander.Enumerate(plan, Store)));
    }

    [Fact]
    public void A_combination_reads_its_modules_as_a_dictionary_in_layer_order()
    {
        var combination = MatrixExpander.Expand(Plan(new() { ["b"] = ["2.0.0"] }, platforms: [Amd]), Store)[0];
        Assert.Equal([("a", "1.0.0"), ("b", "2.0.0"), ("c", "1.0.0")], combination.Modules.Select(m => (m.Key, m.Value)));
        Assert.Equal(3, combination.Modules.Count);
        Assert.Equal(["a", "b", "c"], combination.Modules.Keys);
        Assert.True(combination.Modules.ContainsKey("b"));
        Assert.False(combination.Modules.TryGetValue("platform", out _));
        Assert.Throws<KeyNotFoundException>(() => combination.Modules["z"]);
    }

    [Fact]
    public void The_modules_used_are_the_axes_and_the_includes_in_layer_order()
    {
        var plan = Plan(new() { ["c"] = ["2.0.0", "1.0.0"], ["a"] = ["3.0.0"] }, include: [Partial(("b", "1.1.0"))]);
        Assert.Equal([("a", "1.0.0"), ("a", "3.0.0"), ("b", "1.0.0"), ("b", "1.1.0"), ("c", "1.0.0"), ("c", "2.0.0")], MatrixExpander.ModulesUsed(plan, Store));
    }

    [Fact]
    public void A_version_whose_every_combination_is_excluded_is_not_used()
    {
        var plan = Plan(new() { ["a"] = ["1.0.0", "2.0.0"], ["b"] = ["1.0.0", "1.1.0"] }, exclude: [Partial(("a", "2.0.0"))]);
        Assert.Equal([("a", "1.0.0"), ("b", "1.0.0"), ("b", "1.1.0"), ("c", "1.0.0")], MatrixExpander.ModulesUsed(plan, Store));
    }

    [Fact]
    public void A_plan_without_a_matrix_uses_the_manifest_versions()
    {
        Assert.Equal([("a", "1.0.0"), ("b", "1.0.0"), ("c", "1.0.0")], MatrixExpander.ModulesUsed(Plan(new()), Store));
    }

    public static TheoryData<string> MeasuredPlans() => new() { "plain", "excludes", "includes", "include-only platform", "no matrix", "duplicates" };

    private static Plan MeasuredPlan(string name) => name switch
    {
        "plain" => Plan(new() { ["a"] = ["1.0.0", "2.0.0"], ["b"] = ["1.0.0", "1.1.0", "1.2.0"] }, platforms: [Amd, Arm]),
        "excludes" => Plan(new() { ["a"] = ["1.0.0", "2.0.0"] }, platforms: [Arm, Amd], exclude: [Partial(("platform", Arm))]),
        "includes" => Plan(new() { ["a"] = ["1.0.0", "2.0.0"] }, platforms: [Amd], include: [Partial(("a", "2.0.0")), Partial(("c", "9.0.0"))]),
        "include-only platform" => Plan(new() { ["a"] = ["1.0.0"] }, platforms: [Amd], include: [Partial(("b", "2.0.0"), ("platform", Arm))]),
        "no matrix" => Plan(new()),
        "duplicates" => Plan(new() { ["a"] = ["1.0.0", "1.0.0"] }, platforms: [Amd, Amd]),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(MeasuredPlans))]
    public void Measure_counts_the_combinations_expand_makes_and_the_platforms_in_the_order_they_appear(string name)
    {
        var plan = MeasuredPlan(name);
        var combinations = MatrixExpander.Expand(plan, Store);
        var (count, platforms) = MatrixExpander.Measure(plan, Store);
        Assert.Equal(combinations.Count, count);
        Assert.Equal(combinations.Select(c => c.Platform).Distinct(), platforms);
    }

    [Fact]
    public void Measure_counts_a_huge_matrix_without_walking_it()
    {
        var versions = Enumerable.Range(0, 10_000).Select(i => $"1.{i}.0").ToList();
        var (count, platforms) = MatrixExpander.Measure(Plan(new() { ["a"] = versions, ["b"] = versions, ["c"] = versions }, platforms: [Amd, Arm]), Store);
        Assert.Equal(2_000_000_000_000L, count);
        Assert.Equal([Amd, Arm], platforms);
    }

    [Fact]
    public void Measure_refuses_a_plan_whose_every_combination_is_excluded()
    {
        var plan = Plan(new() { ["a"] = ["1.0.0"] }, platforms: [Amd], exclude: [Partial(("a", "1.0.0"))]);
        var error = Assert.Single(Assert.Throws<InvalidInputException>(() => MatrixExpander.Measure(plan, Store)).Errors);
        Assert.Equal(("plans/p.yaml", "exclude"), (error.File, error.Field));
        Assert.Contains("expands to no combinations", error.Message);
    }

    [Fact]
    public void Measure_refuses_a_plan_too_large_to_count()
    {
        // Eight slots of 300 versions: 300^8 ≈ 6.6e19 combinations, beyond a long.
        var layers = Enumerable.Range(1, 8).Select(i => $"s{i}").ToList();
        var versions = Enumerable.Range(0, 300).Select(i => $"1.{i}.0").ToList();
        var wide = new ManifestStore
        {
            Root = "/nonexistent",
            Entries = new Dictionary<string, ManifestEntry> { ["m"] = new() { Id = "m", Template = "t", Modules = layers.ToDictionary(l => l, _ => "1.0.0"), Platforms = [Amd] } },
            Templates = new Dictionary<string, Template> { ["t"] = new() { Id = "t", Version = "1.0.0", Base = "base/busybox:1.35", Layers = layers, Tests = "s", Owner = "o" } },
            TestSuites = new Dictionary<string, TestSuite>(),
            Modules = new Dictionary<string, IReadOnlyDictionary<string, Module>>(),
        };
        var plan = Plan(layers.ToDictionary(l => l, IReadOnlyList<string> (_) => versions));
        var error = Assert.Single(Assert.Throws<InvalidInputException>(() => MatrixExpander.Measure(plan, wide)).Errors);
        Assert.Equal(("plans/p.yaml", "matrix"), (error.File, error.Field));
        Assert.Contains("more combinations than can be counted", error.Message);
    }
}
