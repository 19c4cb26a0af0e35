using Factory.Executor;
using Factory.Executor.Engine;

namespace Factory.UnitTests;

/// <summary>Every container a test runs in: the sandbox the docker run flags gave it (--network none --memory --pids-limit --rm --gpus).</summary>
public sealed class TestContainerParametersTests
{
    private static readonly ExecutorOptions Options = new() { TestMemory = "256m", TestPidsLimit = 64 };

    [Fact]
    public void A_test_container_has_no_network_the_memory_and_pids_limits_and_is_removed_when_it_stops()
    {
        var parameters = TestContainerParameters.Create(Options, "factory-x-test-1", "sha256:abc", "linux/arm64", gpu: false, ["sleep"], ["600"]);

        Assert.Equal(("factory-x-test-1", "sha256:abc", "linux/arm64"), (parameters.Name, parameters.Image, parameters.Platform));
        Assert.Equal(["sleep"], parameters.Entrypoint);
        Assert.Equal(["600"], parameters.Cmd);
        Assert.Equal("none", parameters.HostConfig!.NetworkMode);
        Assert.Equal(256L * 1024 * 1024, parameters.HostConfig!.Memory);
        Assert.Equal(64L, parameters.HostConfig!.PidsLimit);
        Assert.True(parameters.HostConfig!.AutoRemove);
        Assert.False(parameters.HostConfig!.Privileged);
        Assert.Null(parameters.HostConfig!.DeviceRequests);
    }

    [Fact]
    public void Without_an_entrypoint_the_images_own_runs_the_command()
    {
        var parameters = TestContainerParameters.Create(Options, "n", "i", "linux/amd64", gpu: false, entrypoint: null, ["pytest", "-q"], autoRemove: false);

        Assert.Null(parameters.Entrypoint);
        Assert.Equal(["pytest", "-q"], parameters.Cmd);
        Assert.False(parameters.HostConfig!.AutoRemove);
        Assert.Equal("none", parameters.HostConfig!.NetworkMode);
    }

    [Fact]
    public void A_gpu_item_asks_for_every_gpu_as_gpus_all_does()
    {
        var request = Assert.Single(TestContainerParameters.Create(Options, "n", "i", "linux/amd64", gpu: true, null, ["nvidia-smi"]).HostConfig!.DeviceRequests);

        Assert.Equal(-1, request.Count);
        Assert.Equal(["gpu"], Assert.Single(request.Capabilities));
    }

    [Fact]
    public void A_memory_limit_that_is_not_a_size_names_the_option()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            TestContainerParameters.Create(new ExecutorOptions { TestMemory = "lots" }, "n", "i", "linux/amd64", gpu: false, null, ["true"]));

        Assert.Contains("Executor:TestMemory is 'lots'", error.Message);
    }
}
