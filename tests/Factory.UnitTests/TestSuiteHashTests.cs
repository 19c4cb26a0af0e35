using Factory.Contracts.Manifests;
using Factory.Planning;

namespace Factory.UnitTests;

/// <summary>TestSuiteHash: the canonical text and its sha256 are pinned; what is tested moves the hash, the suite id does not.</summary>
public sealed class TestSuiteHashTests
{
    private static TestSuite Suite(string id = "smoke", string firstStdout = "hello") => new()
    {
        Id = id,
        Tests =
        [
            new TestCase
            {
                Name = "shell-works", Run = ["sh", "-c", "echo \"hello\""],
                Expect = new TestExpectation { ExitCode = 0, Stdout = firstStdout }, Timeout = TimeSpan.FromSeconds(30),
            },
            new TestCase
            {
                Name = "arch", Run = ["uname", "-m"],
                Expect = new TestExpectation { ExitCode = 3, Stdout = null }, Timeout = TimeSpan.FromMinutes(2),
                Platforms = ["linux/arm64", "linux/amd64"],
            },
        ],
    };

    private static TestSuite WithFirst(Func<TestCase, TestCase> change)
    {
        var suite = Suite();
        return suite with { Tests = [change(suite.Tests[0]), suite.Tests[1]] };
    }

    [Fact]
    public void The_canonical_text_is_pinned()
    {
        Assert.Equal(
            "factory-test-suite/v1\n" +
            "test\n" +
            "name=\"shell-works\"\n" +
            "run=[\"sh\",\"-c\",\"echo \\u0022hello\\u0022\"]\n" +
            "expect.exit_code=0\n" +
            "expect.stdout=\"hello\"\n" +
            "timeout_seconds=30\n" +
            "platforms=null\n" +
            "test\n" +
            "name=\"arch\"\n" +
            "run=[\"uname\",\"-m\"]\n" +
            "expect.exit_code=3\n" +
            "expect.stdout=null\n" +
            "timeout_seconds=120\n" +
            "platforms=[\"linux/amd64\",\"linux/arm64\"]\n",
            TestSuiteHash.CanonicalText(Suite()));
    }

    [Fact]
    public void The_hash_is_the_pinned_lower_case_sha256_of_the_canonical_text()
    {
        Assert.Equal("c12dbcab0aea8130beab4be1c9649924369a628403d5c02fa5358015ae1c6655", TestSuiteHash.Compute(Suite()));
    }

    [Fact]
    public void Renaming_the_suite_does_not_change_the_hash() =>
        Assert.Equal(TestSuiteHash.Compute(Suite()), TestSuiteHash.Compute(Suite(id: "renamed")));

    [Fact]
    public void Changing_a_tests_expected_stdout_changes_the_hash() =>
        Assert.NotEqual(TestSuiteHash.Compute(Suite()), TestSuiteHash.Compute(Suite(firstStdout: "hell")));

    [Fact]
    public void Changing_a_tests_expected_exit_code_changes_the_hash() =>
        Assert.NotEqual(TestSuiteHash.Compute(Suite()), TestSuiteHash.Compute(WithFirst(t => t with { Expect = t.Expect with { ExitCode = 1 } })));

    [Fact]
    public void Changing_a_tests_command_changes_the_hash() =>
        Assert.NotEqual(TestSuiteHash.Compute(Suite()), TestSuiteHash.Compute(WithFirst(t => t with { Run = ["sh", "-c", "echo hello"] })));

    [Fact]
    public void Changing_a_tests_timeout_changes_the_hash() =>
        Assert.NotEqual(TestSuiteHash.Compute(Suite()), TestSuiteHash.Compute(WithFirst(t => t with { Timeout = TimeSpan.FromSeconds(31) })));

    [Fact]
    public void Restricting_a_test_to_a_platform_changes_the_hash() =>
        Assert.NotEqual(TestSuiteHash.Compute(Suite()), TestSuiteHash.Compute(WithFirst(t => t with { Platforms = ["linux/amd64"] })));

    [Fact]
    public void An_empty_platform_list_hashes_differently_from_every_platform() =>
        Assert.NotEqual(TestSuiteHash.Compute(WithFirst(t => t with { Platforms = null })), TestSuiteHash.Compute(WithFirst(t => t with { Platforms = [] })));

    [Fact]
    public void The_order_platforms_are_listed_in_does_not_change_the_hash()
    {
        var suite = Suite();
        var reordered = suite with { Tests = [suite.Tests[0], suite.Tests[1] with { Platforms = ["linux/amd64", "linux/arm64"] }] };
        Assert.Equal(TestSuiteHash.Compute(suite), TestSuiteHash.Compute(reordered));
    }

    [Fact]
    public void Asking_for_a_fresh_container_adds_one_line_to_that_test_and_changes_the_hash()
    {
        var fresh = WithFirst(t => t with { FreshContainer = true });
        var text = TestSuiteHash.CanonicalText(fresh);
        Assert.Equal(TestSuiteHash.CanonicalText(Suite()).Replace("platforms=null\n", "platforms=null\nfresh_container=true\n"), text);
        Assert.NotEqual(TestSuiteHash.Compute(Suite()), TestSuiteHash.Compute(fresh));
    }

    [Fact]
    public void The_order_of_tests_changes_the_hash()
    {
        var suite = Suite();
        Assert.NotEqual(TestSuiteHash.Compute(suite), TestSuiteHash.Compute(suite with { Tests = [suite.Tests[1], suite.Tests[0]] }));
    }
}
