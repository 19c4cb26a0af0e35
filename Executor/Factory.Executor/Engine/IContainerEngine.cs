namespace Factory.Executor.Engine;

public sealed record ImageBuildRequest(string ContextDirectory, string Tag, string Platform, IReadOnlyList<string> CacheFrom);

public sealed record ImageBuildOutcome(bool Succeeded, string Log, TimeSpan Duration);

public sealed record ContainerRunRequest(string Image, IReadOnlyList<string> Command, string Platform, TimeSpan Timeout, string Name, bool RequestGpu);

public sealed record ContainerRunOutcome(int ExitCode, string Stdout, string Stderr, bool TimedOut, TimeSpan Duration);

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
    Task EnsureImageAsync(string image, string platform, CancellationToken ct);
    Task<ContainerRunOutcome> RunAsync(ContainerRunRequest request, CancellationToken ct);
    Task<string> ServerArchitectureAsync(CancellationToken ct);
    /// <summary>
    /// Reads files out of an image's filesystem without running it (a created container, removed afterwards).
    /// Keys are the requested paths; a path that does not exist, or is not a regular file, is simply absent.
    /// Symbolic links are followed inside the image.
    /// </summary>
    Task<IReadOnlyDictionary<string, byte[]>> ReadFilesAsync(string image, string platform, IReadOnlyList<string> paths, CancellationToken ct);
}
