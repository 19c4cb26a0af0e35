extern alias ControlPlaneApi;
using Factory.Executor.Engine;
using Factory.Records;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Factory.IntegrationTests.Web;

/// <summary>
/// The control plane's own host (WebApplicationFactory) on a PostgreSQL database and a RabbitMQ virtual host of its
/// own, serving the UI; records are put straight into its record store.
/// </summary>
public sealed class ControlPlaneWithUi : IAsyncLifetime
{
    private readonly string _name = "ui_" + Guid.NewGuid().ToString("N")[..10];
    private readonly ThrowawayDatabase _database;
    private WebApplicationFactory<ControlPlaneApi::Program>? _factory;

    public ControlPlaneWithUi() => _database = new ThrowawayDatabase(_name);

    public HttpClient Client { get; private set; } = null!;
    public ICompatibilityRecordStore Records => _factory!.Services.GetRequiredService<ICompatibilityRecordStore>();
    public string State { get; } = Path.Combine(Path.GetTempPath(), "factory-ui-" + Guid.NewGuid().ToString("N")[..10]);

    public async Task InitializeAsync()
    {
        await RabbitCtlAsync("add_vhost", _name);
        await RabbitCtlAsync("set_permissions", "-p", _name, "guest", ".*", ".*", ".*");
        await _database.CreateAsync();
        Directory.CreateDirectory(State);
        _factory = new WebApplicationFactory<ControlPlaneApi::Program>().WithWebHostBuilder(host => host
            .UseSetting("ConnectionStrings:Factory", _database.ConnectionString)
            .UseSetting("Bus:RabbitMq:VirtualHost", _name)
            .UseSetting("ControlPlane:ManifestStore", RepoRoot.Manifests)
            .UseSetting("ControlPlane:StateDirectory", State));
        Client = _factory.CreateClient();
        for (var i = 0; i < 120 && !(await Client.GetAsync("/healthz")).IsSuccessStatusCode; i++) await Task.Delay(500);
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        await _database.DisposeAsync();
        await ProcessRunner.RunAsync("rabbitmqctl", ["delete_vhost", _name], null, TimeSpan.FromMinutes(1));
        try { Directory.Delete(State, recursive: true); } catch (IOException) { }
    }

    private static async Task RabbitCtlAsync(params string[] args)
    {
        var result = await ProcessRunner.RunAsync("rabbitmqctl", args, null, TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0) throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)}: {result.Combined}");
    }
}
