using Factory.Executor.Engine;
using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests.Compose;

/// <summary>One container of an image from deploy/images (built under the tests' tag), under a name of its own, removed at the end.</summary>
public sealed class InfraContainer(string image) : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(1);

    public string Name { get; } = $"factory-it-{image}-{Guid.NewGuid():N}"[..32];

    public Task BuildAsync() => LocalImages.EnsureAsync(image);

    /// <summary>`docker run --name NAME OPTIONS... IMAGE`: detached or not, as the options say.</summary>
    public Task<ProcessResult> RunAsync(params string[] options) =>
        ProcessRunner.RunAsync(DockerCli.Program, ["run", "--name", Name, .. options, LocalImages.Reference(image)], null, Wait);

    public async Task<string> LogsAsync() => (await ProcessRunner.RunAsync(DockerCli.Program, ["logs", "--tail", "40", Name], null, Wait)).Combined;

    public async ValueTask DisposeAsync() => await ProcessRunner.RunAsync(DockerCli.Program, ["rm", "--force", Name], null, Wait);
}
