namespace Factory.Contracts.Manifests;

/// <summary>An entry of manifests/store.yaml: a template with a default module version per slot.</summary>
public sealed record ManifestEntry
{
    public required string Id { get; init; }
    public required string Template { get; init; }
    public required IReadOnlyDictionary<string, string> Modules { get; init; }
    public required IReadOnlyList<string> Platforms { get; init; }
    public string? Accelerator { get; init; }
}

public sealed record TemplateLimits
{
    public int? MaxImageMb { get; init; }
}

/// <summary>manifests/templates/&lt;id&gt;.yaml: ordered module slots on a base image.</summary>
public sealed record Template
{
    public required string Id { get; init; }
    public required string Version { get; init; }
    public required string Base { get; init; }
    public required IReadOnlyList<string> Layers { get; init; }
    public required string Tests { get; init; }
    public TemplateLimits Limits { get; init; } = new();
    public required string Owner { get; init; }
}

public sealed record ModuleOwner(string Handle, string Team);

/// <summary>manifests/modules/&lt;name&gt;/&lt;version&gt;/: metadata, a Dockerfile fragment and its files.</summary>
public sealed record Module
{
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required ModuleOwner Owner { get; init; }
    public string Description { get; init; } = "";
    /// <summary>The fragment as written in the module's Dockerfile.</summary>
    public required string Fragment { get; init; }
    /// <summary>sha256 over the module directory's files (see ModuleContentDigest).</summary>
    public required string ContentDigest { get; init; }
    /// <summary>Absolute path of the module version's directory.</summary>
    public required string Directory { get; init; }
    /// <summary>
    /// `build: {network: true}` in module.yaml: its RUN steps need the network (a package mirror). A build gets the
    /// network only when one of its modules declares it; otherwise it runs with none.
    /// </summary>
    public bool BuildNetwork { get; init; }
}

public sealed record TestExpectation
{
    public int ExitCode { get; init; }
    /// <summary>A substring of stdout, or a regular expression between slashes.</summary>
    public string? Stdout { get; init; }

    /// <summary>The regular expression an expected stdout holds ("/.../"), or null when it is a plain substring.</summary>
    public static string? RegexOf(string expectedStdout) =>
        expectedStdout is { Length: > 1 } && expectedStdout[0] == '/' && expectedStdout[^1] == '/' ? expectedStdout[1..^1] : null;
}

public sealed record TestCase
{
    /// <summary>The longest a test may be given: beyond it a timeout is a typo, not a plan.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(6);

    public required string Name { get; init; }
    public required IReadOnlyList<string> Run { get; init; }
    public required TestExpectation Expect { get; init; }
    public required TimeSpan Timeout { get; init; }
    /// <summary>Platforms the test applies to; null means every platform.</summary>
    public IReadOnlyList<string>? Platforms { get; init; }
    /// <summary>
    /// Run in a container of its own rather than in the one the item's other tests share (e.g. a test that needs a
    /// filesystem no other test has touched, or that leaves processes behind).
    /// </summary>
    public bool FreshContainer { get; init; }
}

/// <summary>manifests/tests/&lt;suite&gt;.yaml.</summary>
public sealed record TestSuite
{
    public required string Id { get; init; }
    public required IReadOnlyList<TestCase> Tests { get; init; }
}

/// <summary>manifests/plans/&lt;id&gt;.yaml: a build matrix over one manifest.</summary>
public sealed record Plan
{
    public required string Id { get; init; }
    public required string Manifest { get; init; }
    /// <summary>Module slot → versions; the cartesian product of these, times platforms. Empty: the manifest as it stands.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Matrix { get; init; }
    public IReadOnlyList<string>? Platforms { get; init; }
    /// <summary>Partial combinations (slot or "platform" → value) added to the product.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Include { get; init; } = [];
    /// <summary>Partial combinations removed from the product.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Exclude { get; init; } = [];
    public int Priority { get; init; }
    /// <summary>A deadline relative to submission (e.g. 2h)...</summary>
    public TimeSpan? Deadline { get; init; }
    /// <summary>...or an absolute one (an RFC 3339 timestamp).</summary>
    public DateTimeOffset? DeadlineAt { get; init; }
    public int? Concurrency { get; init; }
    /// <summary>Each combination that already passed runs this many times again (reruns, to measure flakiness) instead of being reused.</summary>
    public int Rerun { get; init; }
    public const int MaxRerun = 100;
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>Where the plan was read from, for error messages.</summary>
    public string Source { get; init; } = "";
}
