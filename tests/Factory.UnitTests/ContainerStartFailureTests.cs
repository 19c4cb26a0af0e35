using Factory.Executor.Engine;

namespace Factory.UnitTests;

/// <summary>The exit code `docker run` gives a container the engine refused to start, from the engine's reason.</summary>
public sealed class ContainerStartFailureTests
{
    [Theory]
    [InlineData("400 OCI runtime create failed: container_linux.go:380: starting container process caused: exec: \"sleep\": executable file not found in $PATH: unknown", 127)]
    [InlineData("400 OCI runtime create failed: container_linux.go:380: starting container process caused: exec: \"/opt/run\": stat /opt/run: no such file or directory: unknown", 127)]
    [InlineData("400 OCI runtime create failed: container_linux.go:380: starting container process caused: exec: \"/etc/passwd\": permission denied: unknown", 126)]
    [InlineData("500 error gathering device information while adding custom device \"/dev/nvidia0\"", 125)]
    [InlineData("500 cgroups: cannot find cgroup mount destination: unknown", 125)]
    public void A_command_missing_or_not_executable_is_the_images_and_anything_else_the_engines(string reason, int exitCode) =>
        Assert.Equal(exitCode, ContainerStartFailure.ExitCode(reason));
}
