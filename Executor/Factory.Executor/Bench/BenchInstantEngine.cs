using System.Security.Cryptography;
using System.Text;
using Factory.Executor.Engine;

namespace Factory.Executor.Bench;

/// <summary>
/// BENCH ONLY — a container engine that does nothing and answers at once: every build succeeds without building,
/// every test exits 0 with no output, images have no files. It exists so that the bench can drive thousands of
/// items through the whole loop (queue → executor → evidence → result → record) and measure Factory, not BuildKit.
/// Selected only by Executor:Engine=bench-instant; never the default, and the executor says so when it starts.
/// </summary>
public sealed class BenchInstantEngine : IContainerEngine
{
    public Task EnsureAvailableAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>The context is still written as the real engine's CLI would be sent it, so that its cost stays in what the bench measures.</summary>
    public Task<ImageBuildOutcome> BuildAsync(ImageBuildRequest request, CancellationToken ct)
    {
        request.Context.WriteTar(Stream.Null);
        return Task.FromResult(new ImageBuildOutcome(true, "bench-instant engine: nothing was built\n", TimeSpan.Zero, DigestOf(request.Tag)));
    }

    public Task<string> PushAsync(string tag, CancellationToken ct) => Task.FromResult(DigestOf(tag));

    public Task TagAsync(string source, string target, CancellationToken ct) => Task.CompletedTask;

    public Task<long> ImageSizeAsync(string image, CancellationToken ct) => Task.FromResult(0L);

    public Task EnsureImageAsync(string image, string platform, CancellationToken ct) => Task.CompletedTask;

    public Task<ContainerRunOutcome> RunAsync(ContainerRunRequest request, CancellationToken ct) => Task.FromResult(Exited());

    public Task<TestContainer?> StartTestContainerAsync(TestContainerRequest request, CancellationToken ct) =>
        Task.FromResult<TestContainer?>(new TestContainer(request.Name, []));

    public Task<ContainerRunOutcome> ExecAsync(TestContainer container, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct, TestOutputSpools? output = null) =>
        Task.FromResult(Exited());

    public Task RemoveContainerAsync(string name, CancellationToken ct) => Task.CompletedTask;

    public Task<string> ServerArchitectureAsync(CancellationToken ct) =>
        Task.FromResult(System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "x86_64");

    public Task<IReadOnlyDictionary<string, byte[]>> ReadFilesAsync(string image, string platform, IReadOnlyList<string> paths, CancellationToken ct) =>
        Task.FromResult<IReadOnlyDictionary<string, byte[]>>(new Dictionary<string, byte[]>());

    public Task<IReadOnlyDictionary<string, byte[]>> ReadContainerFilesAsync(string container, IReadOnlyList<string> paths, CancellationToken ct) =>
        Task.FromResult<IReadOnlyDictionary<string, byte[]>>(new Dictionary<string, byte[]>());

    private static ContainerRunOutcome Exited() => new(0, "", "", false, TimeSpan.Zero);

    private static string DigestOf(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
