using Factory.Manifests;

namespace Factory.UnitTests;

/// <summary>DockerfileFragment: parsing instructions, the rules a module fragment must follow, and rewriting COPY/ADD sources.</summary>
public sealed class DockerfileFragmentTests : IDisposable
{
    private const string Prefix = "modules/core/1.0.0";
    private readonly string _module = Path.Combine(Path.GetTempPath(), "factory-fragment-" + Guid.NewGuid().ToString("N"));

    public DockerfileFragmentTests()
    {
        Directory.CreateDirectory(Path.Combine(_module, "files", "conf.d"));
        File.WriteAllText(Path.Combine(_module, "files", "core.sh"), "#!/bin/sh\n");
        File.WriteAllText(Path.Combine(_module, "files", "conf.d", "a.conf"), "a=1\n");
        File.WriteAllText(Path.Combine(_module, ".profile"), "export A=1\n");
    }

    public void Dispose() => Directory.Delete(_module, recursive: true);

    private IReadOnlyList<string> Check(string fragment) => DockerfileFragment.Check(fragment, _module);

    [Fact]
    public void Parse_skips_blank_lines_and_comments_and_upper_cases_keywords()
    {
        var instructions = DockerfileFragment.Parse("# a comment\n\nrun echo hi\n  COPY  files/core.sh /bin/core  \n");
        Assert.Equal(2, instructions.Count);
        Assert.Equal(new FragmentInstruction(3, "RUN", "echo hi", "run echo hi"), instructions[0]);
        Assert.Equal(new FragmentInstruction(4, "COPY", "files/core.sh /bin/core", "  COPY  files/core.sh /bin/core"), instructions[1]);
    }

    [Fact]
    public void Parse_joins_continuation_lines_and_reports_the_first_line()
    {
        var instructions = DockerfileFragment.Parse("RUN true\nRUN apt-get update \\\n && apt-get install -y x \\\n && rm -rf /var/lib/apt/lists/*\nRUN done\n");
        Assert.Equal([1, 2, 5], instructions.Select(i => i.Line));
        Assert.Equal("RUN apt-get update \\\n && apt-get install -y x \\\n && rm -rf /var/lib/apt/lists/*", instructions[1].Text);
        Assert.Equal("RUN", instructions[2].Keyword);
    }

    [Fact]
    public void Parse_accepts_windows_line_endings()
    {
        var instructions = DockerfileFragment.Parse("RUN a \\\r\n b\r\nRUN c\r\n");
        Assert.Equal(["RUN a \\\n b", "RUN c"], instructions.Select(i => i.Text));
    }

    [Fact]
    public void Parse_closes_a_continuation_left_open_at_the_end_of_the_file()
    {
        var instruction = Assert.Single(DockerfileFragment.Parse("RUN a \\\n b \\\n"));
        Assert.Equal((1, "RUN a \\\n b"), (instruction.Line, instruction.Text));
    }

    [Fact]
    public void A_comment_or_blank_line_inside_a_continuation_does_not_end_the_instruction_as_in_docker()
    {
        var instructions = DockerfileFragment.Parse("RUN a \\\n# about b\n\n b\nRUN c\n");
        Assert.Equal(["RUN a \\\n b", "RUN c"], instructions.Select(i => i.Text));
    }

    [Fact]
    public void A_rewritten_fragment_never_ends_in_a_continuation()
    {
        Assert.Equal("RUN a \\\n b\n", DockerfileFragment.RewriteSources("RUN a \\\n b \\\n\n# trailing comment\n", Prefix));
    }

    [Fact]
    public void An_ordinary_fragment_passes_the_check()
    {
        Assert.Empty(Check("""
            # Install core.
            COPY --chown=10001:10001 --chmod=0755 files/core.sh /usr/local/bin/core
            COPY ["files/conf.d", "/etc/core/conf.d"]
            ADD files/conf.d/*.conf /etc/core/
            RUN chmod 0755 /usr/local/bin/core \
             && core --version
            """));
    }

    [Fact]
    public void An_empty_fragment_fails_the_check() => Assert.Equal(["the fragment has no instructions"], Check("\n# nothing\n"));

    [Theory]
    [InlineData("FROM alpine:3.20", "line 1: FROM is not allowed in a module fragment (the template supplies the base image)")]
    [InlineData("from alpine", "line 1: FROM is not allowed in a module fragment (the template supplies the base image)")]
    [InlineData("ONBUILD RUN true", "line 1: ONBUILD is not allowed in a module fragment (the template supplies the base image)")]
    [InlineData("ADD https://example.com/x.tgz /opt/", "line 1: ADD from a URL (https://example.com/x.tgz) is not allowed: inputs must be pinned files of the module")]
    [InlineData("ADD git@github.com:org/repo.git /src", "line 1: ADD from a URL (git@github.com:org/repo.git) is not allowed: inputs must be pinned files of the module")]
    [InlineData("COPY http://example.com/x /x", "line 1: COPY from a URL (http://example.com/x) is not allowed: inputs must be pinned files of the module")]
    [InlineData("COPY files/missing.sh /x", "line 1: COPY source 'files/missing.sh' does not exist in the module directory")]
    [InlineData("COPY [\"files/missing.sh\", \"/x\"]", "line 1: COPY source 'files/missing.sh' does not exist in the module directory")]
    [InlineData("COPY ../other/secret /x", "line 1: COPY source '../other/secret' must be a relative path inside the module directory")]
    [InlineData("COPY files/../../x /x", "line 1: COPY source 'files/../../x' must be a relative path inside the module directory")]
    [InlineData("ADD /etc/shadow /x", "line 1: ADD source '/etc/shadow' must be a relative path inside the module directory")]
    [InlineData("COPY onlyone", "line 1: COPY needs a source and a destination")]
    public void A_forbidden_instruction_fails_the_check_with_its_line(string fragment, string problem) =>
        Assert.Equal([problem], Check(fragment));

    [Fact]
    public void Copy_from_another_stage_fails_the_check()
    {
        Assert.Contains("line 2: COPY --from is not allowed: a module may copy only its own files", Check("RUN true\nCOPY --from=builder files/core.sh /x\n"));
    }

    [Fact]
    public void A_problem_on_a_continued_instruction_names_its_first_line()
    {
        Assert.Equal(["line 2: COPY source 'files/nope' does not exist in the module directory"], Check("RUN true\nCOPY \\\n  files/nope \\\n  /x\n"));
    }

    [Fact]
    public void Every_problem_is_reported()
    {
        Assert.Equal(3, Check("FROM a\nONBUILD RUN b\nADD https://x/y /z\n").Count);
    }

    [Fact]
    public void Rewriting_points_shell_form_sources_into_the_build_context_as_json_form()
    {
        Assert.Equal("COPY [\"modules/core/1.0.0/files/core.sh\",\"/usr/local/bin/core\"]\n",
            DockerfileFragment.RewriteSources("COPY files/core.sh /usr/local/bin/core", Prefix));
    }

    [Fact]
    public void Rewriting_keeps_flags_such_as_chown_and_chmod()
    {
        Assert.Equal("COPY --chown=10001:10001 --chmod=0755 [\"modules/core/1.0.0/files/core.sh\",\"/usr/local/bin/core\"]\n",
            DockerfileFragment.RewriteSources("COPY --chown=10001:10001 --chmod=0755 files/core.sh /usr/local/bin/core", Prefix + "/"));
    }

    [Fact]
    public void Rewriting_handles_json_form_with_several_sources()
    {
        Assert.Equal("ADD [\"modules/core/1.0.0/files/a\",\"modules/core/1.0.0/files/b\",\"/opt/\"]\n",
            DockerfileFragment.RewriteSources("ADD [\"files/a\", \"files/b\", \"/opt/\"]", Prefix));
    }

    [Fact]
    public void Rewriting_joins_a_continued_copy_onto_one_line()
    {
        Assert.Equal("COPY [\"modules/core/1.0.0/files/core.sh\",\"/usr/local/bin/core\"]\n",
            DockerfileFragment.RewriteSources("COPY \\\n  files/core.sh \\\n  /usr/local/bin/core\n", Prefix));
    }

    [Fact]
    public void Rewriting_drops_a_leading_dot_slash()
    {
        Assert.Equal("COPY [\"modules/core/1.0.0/files/core.sh\",\"/x\"]\n", DockerfileFragment.RewriteSources("COPY ./files/core.sh /x", Prefix));
    }

    [Fact]
    public void Rewriting_keeps_the_dot_of_a_dotfile()
    {
        Assert.Equal("COPY [\"modules/core/1.0.0/.profile\",\"/root/.profile\"]\n", DockerfileFragment.RewriteSources("COPY .profile /root/.profile", Prefix));
        Assert.Equal("COPY [\"modules/core/1.0.0/.profile\",\"/root/.profile\"]\n", DockerfileFragment.RewriteSources("COPY ./.profile /root/.profile", Prefix));
    }

    [Fact]
    public void Rewriting_the_whole_module_directory_points_at_its_context_folder()
    {
        Assert.Equal("COPY [\"modules/core/1.0.0\",\"/opt/core/\"]\n", DockerfileFragment.RewriteSources("COPY . /opt/core/", Prefix));
    }

    [Fact]
    public void Rewriting_leaves_other_instructions_verbatim_and_drops_comments()
    {
        Assert.Equal("RUN apt-get update \\\n && apt-get install -y x\nENV A=1\n",
            DockerfileFragment.RewriteSources("# comment\nRUN apt-get update \\\n && apt-get install -y x\n\nENV A=1\n", Prefix));
    }
}
