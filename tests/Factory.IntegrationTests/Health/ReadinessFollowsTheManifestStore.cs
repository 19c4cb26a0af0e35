using System.Net;
using System.Text.Json;
using Factory.IntegrationTests.Api;
using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests.Health;

/// <summary>The control plane is not ready while its manifest store fails validation (every plan would be refused), and ready again once it is mended.</summary>
public sealed class ReadinessFollowsTheManifestStore : IAsyncLifetime
{
    private readonly ScratchStore _store = new();
    private ControlPlaneApp? _app;

    public async Task InitializeAsync()
    {
        _app = ControlPlaneApp.WithStore(_store.Manifests);
        await _app.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task The_control_plane_is_not_ready_while_its_manifest_store_fails_validation()
    {
        Assert.True((await ReadyEndpoint.UntilAsync(_app!.Http, HttpStatusCode.OK)).Met, "ready on the shipped store");

        _store.AddModule("light", "9.9.9", "FROM busybox\n");
        var broken = await ReadyEndpoint.UntilAsync(_app!.Http, HttpStatusCode.ServiceUnavailable);
        Assert.True(broken.Met, $"not ready while the store fails validation: {broken.Answer}");
        var manifests = ReadyEndpoint.Check(broken.Answer.Body, "manifests");
        Assert.Contains("the manifest store fails validation", manifests.GetProperty("description").GetString());
        Assert.Contains("modules/light/9.9.9", manifests.GetProperty("description").GetString());

        Directory.Delete(Path.Combine(_store.Manifests, "modules/light/9.9.9"), recursive: true);
        var mended = await ReadyEndpoint.UntilAsync(_app!.Http, HttpStatusCode.OK);
        Assert.True(mended.Met, $"ready again once the store validates: {mended.Answer}");
    }
}
