using Factory.Cli.Commands;
using Factory.ControlPlane;
using Factory.ControlPlane.Access;
using Factory.Planning.Registry;
using Factory.Planning;
using Factory.ControlPlane.Runs;
using Factory.ControlPlane.State;
using Factory.Manifests;
using Factory.Records;
using Factory.Web;
using Factory.Web.Access;
using Factory.Web.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Factory.Cli.Serving;

/// <summary>
/// `factory serve`: the web UI and the read API (records, matrix, history, why, diff, compare, resolve) over the embedded
/// state (SQLite plan state and records, local evidence); plans are only read, and cancelled from the plan page (with a token:
/// `factory tokens create --role operator` without --database writes to the state's access.db).
/// Plans run by `factory run` in another process on the same state show up as they go: pages read the stores.
/// </summary>
public static class EmbeddedWebHost
{
    public static async Task<WebApplication> BuildAsync(string stateDirectory, string manifestStore, string urls, Action<WebApplicationBuilder>? configure,
        CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var services = builder.Services;
        var state = new SqlitePlanStateStore(stateDirectory);
        await state.EnsureSchemaAsync(ct);
        services.AddSingleton<IPlanStateStore>(state);
        services.AddSqliteRecordStore(stateDirectory);
        services.AddSingleton(PoolCatalog.Default);
        services.AddSingleton<IQueueDepths, UnknownQueueDepths>();
        services.AddSingleton(new ControlPlaneOptions { ManifestStore = manifestStore });
        if (Directory.Exists(manifestStore))
            services.AddSingleton<IManifestSource>(_ => new CachedManifests(new ManifestStoreCache(manifestStore)));
        services.AddWebUi(new WebUiOptions { StateDirectory = stateDirectory });
        // On the loopback by default, so reads stay open (Auth:AnonymousReads=false closes them); cancelling needs a token.
        services.AddSingleton<IAccessStore>(new SqliteAccessStore(stateDirectory));
        services.AddApiAccess(builder.Configuration, anonymousReadsByDefault: true);
        // The read API as the control plane has it: resolve keys a cell as it would be built now (base digests from the registry).
        services.AddHttpClient<RegistryClient>(c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddTransient(sp => new PlanPreparer(sp.GetRequiredService<RegistryClient>(), PoolCatalog.Default, new RegistryOptions { Address = CommonOptions.Registry }));
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseApiAccess();
        app.MapRecordsApi();
        app.MapAccessApi();
        app.MapReviewApi();
        app.MapWebUi();
        return app;
    }
}
