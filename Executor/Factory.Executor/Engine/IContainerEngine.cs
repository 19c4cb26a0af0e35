namespace Factory.Executor.Engine;

/// <summary>
/// The container engine as the executor needs it. Implementations throw InfrastructureException when the
/// engine or registry is at fault; a failing build or command is an outcome, not an exception.
/// </summary>
public interface IContainerEngine
{
    Task EnsureAvailableAsync(CancellationToken ct);
    Task<ImageBuildOutcome> BuildAsync(ImageBuildRequest request, CancellationToken ct);
    /// <summary>Pushes the tag; returns the pushed manifest digest.</summary>
    Task<string> PushAsync(string tag, CancellationToken ct);
    Task TagAsync(string source, string target, CancellationToken ct);
    Task<long> ImageSizeAsync(string image, CancellationToken ct);
    /// <summary>Layers of a local image, for metrics; null when the engine cannot say.</summary>
    Task<int?> ImageLayerCountAsync(string image, CancellationToken ct) => Task.FromResult<int?>(null);
    Task EnsureImageAsync(string image, string platform, CancellationToken ct);
    /// <summary>Runs the command in a container of its own, removed afterwards (the image's entrypoint runs it).</summary>
    Task<ContainerRunOutcome> RunAsync(ContainerRunRequest request, CancellationToken ct);
    /// <summary>
    /// Starts a container from the image, with the same isolation and limits as <see cref="RunAsync"/>, kept alive by
    /// the image's own <c>sleep</c> so that tests can be run in it one after another. Null when the image cannot keep
    /// a container alive (it has no sleep).
    /// </summary>
    Task<TestContainer?> StartTestContainerAsync(TestContainerRequest request, CancellationToken ct);
    /// <summary>
    /// Runs a command in a test container, as <see cref="RunAsync"/> would run it in a fresh one, with its own timeout and
    /// output; with <paramref name="output"/>, the whole output also streams to it.
    /// </summary>
    Task<ContainerRunOutcome> ExecAsync(TestContainer container, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct, TestOutputSpools? output = null);
    /// <summary>Kills and removes the container; nothing happens when it is not there.</summary>
    Task RemoveContainerAsync(string name, CancellationToken ct);
    Task<string> ServerArchitectureAsync(CancellationToken ct);
    /// <summary>
    /// Reads files out of an image's filesystem without running it (a created container, removed afterwards).
    /// Keys are the requested paths; a path that does not exist, or is not a regular file, is simply absent.
    /// Symbolic links are followed inside the image.
    /// </summary>
    Task<IReadOnlyDictionary<string, byte[]>> ReadFilesAsync(string image, string platform, IReadOnlyList<string> paths, CancellationToken ct);
    /// <summary>As <see cref="ReadFilesAsync"/>, from a container that exists already (running or not).</summary>
    Task<IReadOnlyDictionary<string, byte[]>> ReadContainerFilesAsync(string container, IReadOnlyList<string> paths, CancellationToken ct);
}
