using Factory.Manifests;
using Factory.UnitTests.Support;

namespace Factory.UnitTests;

/// <summary>
/// The fragment checker reads instructions exactly as BuildKit does, so FROM, ADD of a URL and COPY --from cannot slip
/// past it behind other whitespace; RUN may not mount or widen the sandbox, but for a cache of the module's own.
/// </summary>
public sealed class FragmentSandboxTests : IDisposable
{
    private readonly TempManifestStore _store = new();

    public void Dispose() => _store.Dispose();

    private IReadOnlyList<string> Check(string fragment) => DockerfileFragment.Check(fragment, _store.PathOf("modules/alpha/1.0.0"));

    /// <summary>Each separator BuildKit's parser accepts between a keyword and its arguments (regexp [\t\v\f\r ]+).</summary>
    public static TheoryData<string> Separators() => new(" ", "\t", "\v", "\f", "\r", " \t\v\f\r ");

    [Theory]
    [MemberData(nameof(Separators))]
    public void FROM_is_refused_whatever_whitespace_follows_the_keyword(string separator) =>
        Assert.Contains(Check($"FROM{separator}busybox"), p => p.Contains("FROM is not allowed", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(Separators))]
    public void COPY_from_is_refused_whatever_whitespace_separates_it(string separator) =>
        Assert.Contains(Check($"COPY{separator}--from=busybox{separator}/bin/sh{separator}/x"), p => p.Contains("COPY --from is not allowed", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(Separators))]
    public void ADD_of_a_URL_is_refused_whatever_whitespace_separates_it(string separator) =>
        Assert.Contains(Check($"ADD{separator}http://example.com/x{separator}/x"), p => p.Contains("from a URL", StringComparison.Ordinal));

    [Theory]
    [InlineData("\u00a0")]   // no-break space
    [InlineData("\u2003")]   // em space
    [InlineData("\u0085")]   // next line
    [InlineData("\v\f")]
    public void Leading_Unicode_whitespace_does_not_hide_an_instruction(string lead) =>
        Assert.Contains(Check($"RUN true\n{lead}FROM busybox"), p => p.StartsWith("line 2: FROM", StringComparison.Ordinal));

    [Theory]
    [InlineData("\v")]
    [InlineData("\f")]
    public void A_backslash_followed_by_v_or_f_does_not_continue_the_line_so_the_next_line_is_checked(string after) =>
        // BuildKit continues a line only on '\' followed by spaces or tabs; here FROM is an instruction of its own.
        Assert.Contains(Check($"RUN echo hi \\{after}\nFROM busybox"), p => p.StartsWith("line 2: FROM", StringComparison.Ordinal));

    [Fact]
    public void A_backslash_followed_by_spaces_and_tabs_continues_the_line() =>
        Assert.Empty(Check("RUN echo hi \\ \t \nFROM-not-an-instruction"));

    [Fact]
    public void CRLF_line_ends_are_read_like_LF() =>
        Assert.Contains(Check("RUN true\r\nFROM busybox\r\n"), p => p.StartsWith("line 2: FROM", StringComparison.Ordinal));

    [Theory]
    [InlineData("RUN --mount=type=bind,source=/,target=/host cat /host/etc/shadow", "type=bind is not allowed")]
    [InlineData("RUN --mount=target=/ctx ls /ctx", "type=bind is not allowed")]               // bind is the default type
    [InlineData("RUN --mount=type=bind,from=busybox,target=/b cp /b/bin/sh /x", "type=bind is not allowed")]
    [InlineData("RUN --mount=type=secret,id=aws cat /run/secrets/aws", "type=secret is not allowed")]
    [InlineData("RUN --mount=type=ssh ssh git@host", "type=ssh is not allowed")]
    [InlineData("RUN --mount=type=tmpfs,target=/t true", "type=tmpfs is not allowed")]
    [InlineData("RUN --mount=type=cache,target=/c true", "needs id=alpha")]
    [InlineData("RUN --mount=type=cache,id=beta/pip,target=/c true", "needs id=alpha")]
    [InlineData("RUN --mount=type=cache,id=alphabet,target=/c true", "needs id=alpha")]
    [InlineData("RUN --mount=type=cache,id=alpha,from=busybox,target=/c true", "may not name from= or source=")]
    [InlineData("RUN --mount=type=cache,id=alpha,type=bind,target=/c true", "names type twice")]
    [InlineData("RUN --network=host curl http://127.0.0.1:15672/", "RUN --network is not allowed")]
    [InlineData("RUN --security=insecure true", "RUN --security is not allowed")]
    [InlineData("RUN\v--mount=type=bind,target=/x true", "type=bind is not allowed")]
    [InlineData("RUN true \\\n  && echo\nRUN \\\n --mount=type=bind,target=/x true", "type=bind is not allowed")]
    public void RUN_flags_that_widen_the_sandbox_are_refused(string fragment, string problem) =>
        Assert.Contains(Check(fragment), p => p.Contains(problem, StringComparison.Ordinal));

    [Theory]
    [InlineData("RUN --mount=type=cache,id=alpha,target=/root/.cache true")]
    [InlineData("RUN --mount=type=cache,id=alpha/pip,target=/root/.cache,sharing=locked true")]
    public void A_cache_mount_scoped_to_the_module_stays(string fragment) => Assert.Empty(Check(fragment));

    [Fact]
    public void Validate_refuses_a_mount_naming_the_module_file()
    {
        _store.Write("modules/alpha/1.0.0/Dockerfile", TempManifestStore.AlphaFragment + "RUN --mount=type=bind,target=/ctx ls /ctx\n");
        ErrorAssert.Has(_store.LoadErrors(), "modules/alpha/1.0.0/Dockerfile", "", "line 3", "type=bind is not allowed");
    }
}
