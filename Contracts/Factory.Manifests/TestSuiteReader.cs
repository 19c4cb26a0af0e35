using System.Text.RegularExpressions;
using Factory.Contracts.Manifests;

namespace Factory.Manifests;

internal static class TestSuiteReader
{
    public static TestSuite? Read(string id, YamlNode doc)
    {
        var before = doc.Errors.Count;
        doc.RejectUnknownFields("id", "tests", "description");
        var declaredId = doc.Field("id").String(required: false);
        if (declaredId is not null && declaredId != id) doc.Field("id").Error($"must match the file name {Names.Quote(id)}, found {Names.Quote(declaredId)}");
        var testsNode = doc.Field("tests");
        var items = testsNode.Items();
        if (testsNode.Node is not null && items.Count == 0) testsNode.Error("must list at least one test");
        var tests = new List<TestCase>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (!item.RequireMapping()) continue;
            item.RejectUnknownFields("name", "run", "expect", "timeout", "platforms", "fresh_container");
            var name = item.Field("name").String();
            if (name is not null && !Names.IsSafeName(name)) item.Field("name").Error($"test name {Names.Quote(name)} is not valid: expected {Names.SafeNameRule}");
            else if (name is not null && !names.Add(name)) item.Field("name").Error($"test {name} is defined twice");
            var runNode = item.Field("run");
            var run = runNode.StringList();
            if (runNode.Node is not null && run.Count == 0) runNode.Error("must be a non-empty argv list, e.g. [sh, -c, 'echo ok']");
            var expect = item.Field("expect");
            var exitCode = 0;
            string? stdout = null;
            if (!expect.IsMissing && expect.RequireMapping())
            {
                expect.RejectUnknownFields("exit_code", "stdout");
                exitCode = expect.Field("exit_code").Int(required: false, min: 0, max: 255) ?? 0;
                stdout = expect.Field("stdout").String(required: false);
                if (stdout is not null && TestExpectation.RegexOf(stdout) is { } pattern)
                {
                    // Matched without backtracking (linear in the output), so no expectation can hang a test run.
                    try { _ = new Regex(pattern, RegexOptions.Multiline | RegexOptions.NonBacktracking); }
                    catch (NotSupportedException ex) { expect.Field("stdout").Error($"uses a construct that cannot be matched in linear time (backreferences, lookarounds, atomic groups): {ex.Message}"); }
                    catch (ArgumentException ex) { expect.Field("stdout").Error($"invalid regular expression: {ex.Message}"); }
                }
            }
            var timeout = item.Field("timeout").Duration(required: false) ?? TimeSpan.FromMinutes(1);
            if (timeout > TestCase.MaxTimeout)
            {
                item.Field("timeout").Error($"expected at most {DurationParser.Format(TestCase.MaxTimeout)}, found {DurationParser.Format(timeout)}");
                timeout = TestCase.MaxTimeout;
            }
            IReadOnlyList<string>? platforms = item.Field("platforms").IsMissing ? null : PlatformList.Read(item.Field("platforms"), required: false);
            var freshContainer = item.Field("fresh_container").Bool(required: false) ?? false;
            if (name is null || run.Count == 0) continue;
            tests.Add(new TestCase
            {
                Name = name, Run = run, Expect = new TestExpectation { ExitCode = exitCode, Stdout = stdout }, Timeout = timeout, Platforms = platforms,
                FreshContainer = freshContainer,
            });
        }
        if (doc.Errors.Count > before) return null;
        return new TestSuite { Id = id, Tests = tests };
    }
}
