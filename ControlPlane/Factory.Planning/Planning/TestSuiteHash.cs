using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Factory.Contracts.Manifests;

namespace Factory.Planning;

/// <summary>
/// The identity of what is tested: sha256 (lower-case hex) over this canonical UTF-8 text, in suite order:
/// <code>
/// factory-test-suite/v1
/// test                             (then, for each test:)
/// name=&lt;JSON string&gt;
/// run=&lt;JSON array of strings&gt;
/// expect.exit_code=&lt;integer&gt;
/// expect.stdout=&lt;JSON string, or null&gt;
/// timeout_seconds=&lt;integer&gt;
/// platforms=&lt;JSON array in ordinal order, or null for every platform&gt;
/// fresh_container=true             (only for a test that asks for a container of its own)
/// </code>
/// JSON strings use System.Text.Json's default escaping. The suite id is not hashed: renaming a suite does not
/// re-run its tests. A test without fresh_container adds no line, so suites written before it keep their hash.
/// </summary>
public static class TestSuiteHash
{
    public const string EncodingVersion = "factory-test-suite/v1";

    public static string CanonicalText(TestSuite suite)
    {
        var text = new StringBuilder().Append(EncodingVersion).Append('\n');
        foreach (var test in suite.Tests)
        {
            text.Append("test\n")
                .Append("name=").Append(JsonSerializer.Serialize(test.Name)).Append('\n')
                .Append("run=").Append(JsonSerializer.Serialize(test.Run)).Append('\n')
                .Append("expect.exit_code=").Append(test.Expect.ExitCode).Append('\n')
                .Append("expect.stdout=").Append(JsonSerializer.Serialize(test.Expect.Stdout)).Append('\n')
                .Append("timeout_seconds=").Append((long)test.Timeout.TotalSeconds).Append('\n')
                .Append("platforms=").Append(test.Platforms is null ? "null" : JsonSerializer.Serialize(test.Platforms.Order(StringComparer.Ordinal))).Append('\n');
            if (test.FreshContainer) text.Append("fresh_container=true\n");
        }
        return text.ToString();
    }

    public static string Compute(TestSuite suite) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalText(suite))));
}
