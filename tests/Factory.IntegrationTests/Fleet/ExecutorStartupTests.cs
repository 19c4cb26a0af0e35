using Factory.Executor.Engine;
using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests.Fleet;

/// <summary>An executor checks at start that it can serve its pool, and refuses with a clear message otherwise.</summary>
public sealed class ExecutorStartupTests
{
    private static string ExecutorDll()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(RepoRoot.Path, "Executor/Factory.Executor.Host/bin", configuration, "net10.0/Factory.Executor.Host.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");
        return dll;
    }

    [Fact]
    public async Task An_executor_for_the_gpu_pool_on_a_machine_without_an_nvidia_gpu_refuses_to_start()
    {
        if (File.Exists("/usr/bin/nvidia-smi")) return; // this machine has a GPU: the refusal cannot be shown here

        var result = await ProcessRunner.RunAsync("dotnet", [ExecutorDll(), "--pool", "gpu"], LocalCredentials.Current.BusEnvironment, TimeSpan.FromMinutes(1));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("executor: refusing to start: executor pool gpu: cannot be served here: no NVIDIA GPU is visible", result.Stderr);
    }

    [Fact]
    public async Task An_executor_whose_engine_is_not_running_refuses_to_start()
    {
        var result = await ProcessRunner.RunAsync("dotnet", [ExecutorDll(), "--pool", "amd64", "--Executor:DockerHost", "unix:///tmp/factory-no-engine.sock"], LocalCredentials.Current.BusEnvironment, TimeSpan.FromMinutes(1));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("executor: refusing to start: docker engine: not reachable", result.Stderr);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task An_executor_whose_signing_key_others_can_read_refuses_to_start_naming_the_file()
    {
        var state = Directory.CreateTempSubdirectory("factory-it-key-").FullName;
        try
        {
            var key = Path.Combine(state, "keys", "signing-key.pem");
            using (Factory.Signing.SigningKey.LoadOrCreate(key)) { }
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

            var result = await ProcessRunner.RunAsync("dotnet", [ExecutorDll(), "--pool", "amd64", "--state", state], LocalCredentials.Current.BusEnvironment, TimeSpan.FromMinutes(1));

            Assert.Equal(2, result.ExitCode);
            Assert.Contains($"executor: refusing to start: signing key {key} has mode 0644: group or others can use it; expected 0600", result.Stderr);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }
}
