using System.Text.Json;
using Factory.Executor.Engine;
using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests.Compose;

/// <summary>
/// The fleet as containers, started with deploy/compose/compose.sh as an operator would, from images built by
/// deploy/images/build.sh (<see cref="LocalImages"/>). Isolated for one test: its own compose
/// project, RabbitMQ virtual host, PostgreSQL database, control-plane port, manifest store and executor state volume.
/// Disposing runs compose down for this project only, then deletes the vhost and drops the database.
/// </summary>
public sealed class ComposeFleet : IAsyncDisposable
{
    private static readonly string ComposeSh = Path.Combine(RepoRoot.Path, "deploy/compose/compose.sh");
    private readonly ThrowawayDatabase _database;
    private readonly Dictionary<string, string> _environment;
    private readonly Dictionary<string, string> _cli = new();
    private bool _up;

    public string Project { get; } = "factoryit" + Guid.NewGuid().ToString("N")[..10];
    public ScratchStore Store { get; } = new();
    public string Url { get; } = $"http://127.0.0.1:{LocalFleet.FreePort()}";
    public string ConnectionString => _database.ConnectionString;
    public HttpClient Http { get; }

    public ComposeFleet()
    {
        _database = new ThrowawayDatabase(Project);
        Http = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
        Plans = new PlanWatch(Http, () => LogsAsync());
        _environment = new Dictionary<string, string>
        {
            ["COMPOSE_PROJECT_NAME"] = Project,
            ["FACTORY_IMAGE_TAG"] = LocalImages.Tag,
            ["FACTORY_CONTROL_PLANE_PORT"] = new Uri(Url).Port.ToString(),
            ["FACTORY_AMQP_VHOST"] = Project,
            ["FACTORY_DATABASE"] = ConnectionString,
            ["FACTORY_MANIFEST_STORE"] = Store.Manifests,
            ["FACTORY_EXECUTOR_HEARTBEAT"] = "00:00:02",
        };
    }

    public static Task BuildImagesAsync() => LocalImages.EnsureAsync("control-plane", "results-consumer", "executor");

    /// <summary>Creates the vhost and database, then compose up; waits for the control plane and the executors (amd64 and arm64).</summary>
    public async Task UpAsync()
    {
        await LocalFleet.AddVhostAsync(Project);
        await _database.CreateAsync();
        await CreateAdminTokenAsync();
        _up = true;
        await ComposeAsync("up", "-d");
        await WaitForExecutorsAsync(2, TimeSpan.FromMinutes(3));
    }

    /// <summary>As the README tells an operator: `factory tokens create` on the fleet's database, the token into FACTORY_TOKEN.</summary>
    private async Task CreateAdminTokenAsync()
    {
        var created = await FactoryCli.RunAsync("tokens", "create", "--role", "admin", "--name", "compose test", "--json", "--database", ConnectionString);
        Assert.True(created.ExitCode == 0, $"factory tokens create failed:\n{created.Stderr}");
        var token = JsonDocument.Parse(created.Stdout).RootElement.GetProperty("token").GetString()!;
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        _cli["FACTORY_TOKEN"] = token;
    }

    /// <summary>compose up -d --scale SERVICE=N, leaving the running containers as they are.</summary>
    public Task<ProcessResult> ScaleAsync(string service, int count) =>
        ComposeAsync("up", "-d", "--no-recreate", "--scale", $"{service}={count}");

    public async Task<ProcessResult> ComposeAsync(params string[] args)
    {
        var result = await ProcessRunner.RunAsync(ComposeSh, args, _environment, TimeSpan.FromMinutes(10), workingDirectory: RepoRoot.Path);
        Assert.True(result.ExitCode == 0, $"compose.sh {string.Join(' ', args)} failed:\n{result.Combined}\n{await LogsAsync()}");
        return result;
    }

    /// <summary>Waits until at least count executors have said hello to the control plane.</summary>
    public async Task<List<JsonElement>> WaitForExecutorsAsync(int count, TimeSpan timeout)
    {
        var executors = new List<JsonElement>();
        var (_, met) = await Poll.UntilAsync(async () =>
        {
            try
            {
                executors = JsonDocument.Parse(await Http.GetStringAsync("/api/executors")).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
            }
            catch (HttpRequestException)
            {
                // The control plane is still starting: the executors listed last stay the answer.
            }
            return executors;
        }, e => e.Count >= count, timeout, TimeSpan.FromMilliseconds(500));
        if (!met) Assert.Fail($"fewer than {count} executors registered within {timeout}: {string.Join(", ", executors)}\n{await LogsAsync()}");
        return executors;
    }

    /// <summary>This project's containers of one service: full id → compose container number.</summary>
    public async Task<Dictionary<string, int>> ContainersAsync(string service)
    {
        var listed = await DockerCli.RunAsync("ps", "--all", "--no-trunc", "--filter", $"label=com.docker.compose.project={Project}",
            "--filter", $"label=com.docker.compose.service={service}", "--format", "{{.ID}} {{.Label \"com.docker.compose.container-number\"}}");
        return listed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => int.Parse(p[1]));
    }

    public PlanWatch Plans { get; }

    public Task<CliResult> SubmitAsync(string plan) =>
        FactoryCli.RunAsync(["submit", plan, "--control-plane", Url, "--manifest-store", Store.Manifests, "--json"], _cli);

    public async Task<string> LogsAsync(int lines = 30)
    {
        var logs = await ProcessRunner.RunAsync(ComposeSh, ["logs", "--no-color", "--tail", lines.ToString()], _environment, TimeSpan.FromMinutes(1), workingDirectory: RepoRoot.Path);
        return logs.Combined;
    }

    /// <summary>compose down for this project (its containers and its volume), then the vhost and the database; each even when an earlier step failed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_up)
        {
            try
            {
                await ProcessRunner.RunAsync(ComposeSh, ["down", "--volumes", "--remove-orphans", "--timeout", "100"], _environment, TimeSpan.FromMinutes(5), workingDirectory: RepoRoot.Path);
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"compose teardown: {ex.Message}");
            }
            await LocalFleet.RabbitCtlAsync("delete_vhost", Project).ContinueWith(_ => { });
        }
        await _database.DisposeAsync();
        Http.Dispose();
        Store.Dispose();
    }
}
