using Docker.DotNet.Models;

namespace Factory.Executor.Engine;

/// <summary>
/// How every container that runs a test is created: no network, the memory and pids limits, never pulled, removed
/// when it stops, a GPU only when the item asked for one. The one place these are decided, so that the shared test
/// container, a container of its own and a container files are read from cannot drift apart.
/// </summary>
public static class TestContainerParameters
{
    public static CreateContainerParameters Create(ExecutorOptions options, string name, string image, string platform, bool gpu,
        IList<string>? entrypoint, IList<string> command, bool autoRemove = true)
    {
        if (!MemorySize.TryParse(options.TestMemory, out var memory))
            throw new ArgumentException($"Executor:TestMemory is '{options.TestMemory}': expected a size such as 512m or 2g", nameof(options));
        return new CreateContainerParameters
        {
            Name = name,
            Image = image,
            Platform = platform,
            Entrypoint = entrypoint!,
            Cmd = command,
            AttachStdout = true,
            AttachStderr = true,
            HostConfig = new HostConfig
            {
                NetworkMode = "none",
                AutoRemove = autoRemove,
                Memory = memory,
                PidsLimit = options.TestPidsLimit,
                // --gpus all: every GPU, through the NVIDIA runtime's device request.
                DeviceRequests = gpu ? [new DeviceRequest { Count = -1, Capabilities = [["gpu"]] }] : null!,
            },
        };
    }
}
