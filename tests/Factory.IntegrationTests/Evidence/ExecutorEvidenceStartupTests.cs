using Factory.Executor.Engine;
using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests.Evidence;

/// <summary>An executor configured for S3 evidence checks the store at start and refuses, with the reason, when it cannot use it.</summary>
public sealed class ExecutorEvidenceStartupTests
{
    private static async Task<ProcessResult> StartExecutorAsync(Dictionary<string, string> environment)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(RepoRoot.Path, "Executor/Factory.Executor.Host/bin", configuration, "net10.0/Factory.Executor.Host.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");
        return await ProcessRunner.RunAsync("dotnet", [dll, "--pool", "amd64"], LocalCredentials.Current.WithBus(environment), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task An_executor_with_S3_evidence_and_no_endpoint_refuses_to_start_naming_the_setting()
    {
        var result = await StartExecutorAsync(new Dictionary<string, string> { ["Evidence__Store"] = "s3" });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("executor: refusing to start: configuration: Evidence:S3:ServiceUrl: an http(s) URL of the S3 endpoint is required", result.Stderr);
    }

    [Fact]
    public async Task An_executor_with_a_wrong_S3_secret_refuses_to_start()
    {
        await using var bucket = new RgwBucket();
        var result = await StartExecutorAsync(Rgw.Environment(bucket.Name, secretKey: "not-the-secret"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"executor: refusing to start: object storage {Rgw.Url}: HEAD bucket {bucket.Name}: access denied", result.Stderr);
    }
}
