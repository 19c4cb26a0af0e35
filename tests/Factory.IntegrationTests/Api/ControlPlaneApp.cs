extern alias ControlPlaneApi;
using System.Net.Http.Headers;
using Factory.ControlPlane.Access;
using Factory.Records;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Factory.IntegrationTests.Api;

/// <summary>
/// The control plane's HTTP host in process (WebApplicationFactory) on the real services: a PostgreSQL database and a
/// RabbitMQ vhost of its own, the registry on 127.0.0.1:5000, the repository's manifest store. Plans for pools nobody
/// serves are admitted (no executor runs here). <see cref="Http"/> carries an admin token made as `factory tokens create`
/// makes one (<see cref="ApiTokens"/> on the app's store); <see cref="ClientWith"/> gives a client with any other.
/// Disposing drops the database and the vhost.
/// </summary>
public sealed class ControlPlaneApp : IAsyncLifetime
{
    private readonly string _name = "factory_api_" + Guid.NewGuid().ToString("N")[..10];
    private readonly ThrowawayDatabase? _database;
    private readonly string _connectionString;
    private readonly string _manifests = Path.Combine(RepoRoot.Path, "manifests");
    private readonly string _state = Path.Combine(Path.GetTempPath(), "factory-api-" + Guid.NewGuid().ToString("N"));
    private WebApplicationFactory<ControlPlaneApi::Program>? _factory;

    public ControlPlaneApp()
    {
        _database = new ThrowawayDatabase(_name);
        _connectionString = _database.ConnectionString;
    }

    // Not a second public constructor: xunit's class fixtures may have only one.
    private ControlPlaneApp(string? connectionString, string? manifests)
    {
        if (connectionString is null) _database = new ThrowawayDatabase(_name);
        _connectionString = connectionString ?? _database!.ConnectionString;
        _manifests = manifests ?? _manifests;
    }

    /// <summary>On a database the caller owns (a ThrowawayPostgresCluster the test stops and starts).</summary>
    public static ControlPlaneApp On(string connectionString) => new(connectionString, null);

    /// <summary>With a manifest store the caller owns (a ScratchStore the test breaks and mends).</summary>
    public static ControlPlaneApp WithStore(string manifests) => new(null, manifests);

    public HttpClient Http { get; private set; } = null!;
    public IServiceProvider Services => _factory!.Services;
    public ICompatibilityRecordStore Records => Services.GetRequiredService<ICompatibilityRecordStore>();

    public async Task InitializeAsync()
    {
        await LocalFleet.AddVhostAsync(_name);
        if (_database is not null) await _database.CreateAsync();
        _factory = new WebApplicationFactory<ControlPlaneApi::Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:Factory", _connectionString);
            web.UseSetting("Bus:RabbitMq:VirtualHost", _name);
            web.UseSetting("Bus:RabbitMq:Username", LocalCredentials.Current.AmqpUser);
            web.UseSetting("Bus:RabbitMq:Password", LocalCredentials.Current.AmqpPassword);
            web.UseSetting("ControlPlane:ManifestStore", _manifests);
            web.UseSetting("ControlPlane:StateDirectory", _state);
            web.UseSetting("ControlPlane:AdmitUnservedPools", "true");
        });
        Http = _factory.CreateClient();
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await CreateTokenAsync(Role.Admin, "test harness")).Secret);
        for (var attempt = 0; ; attempt++)
        {
            using var ready = await Http.GetAsync("/healthz");
            if (ready.IsSuccessStatusCode) break;
            if (attempt > 120) throw new TimeoutException($"the control plane did not get ready: {(int)ready.StatusCode}");
            await Task.Delay(250);
        }
    }

    public Task<IssuedToken> CreateTokenAsync(Role role, string? name = null) =>
        Services.GetRequiredService<ApiTokens>().CreateAsync(role, name, null, CancellationToken.None);

    /// <summary>A client of the app that presents this token (none: an anonymous client).</summary>
    public HttpClient ClientWith(string? token)
    {
        var client = _factory!.CreateClient();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        await LocalFleet.RabbitCtlAsync("delete_vhost", _name);
        try { Directory.Delete(_state, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }
}
