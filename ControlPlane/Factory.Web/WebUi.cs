using Factory.ControlPlane.Review;
using Factory.ControlPlane.Runs;
using Factory.Evidence;
using Factory.Web.Access;
using Factory.Web.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Factory.Web;

/// <summary>
/// The reviewers' web UI, the same in the control plane and in `factory serve`: pages over the record store and the
/// plan state (whichever the host registered), evidence read from whichever store holds it. AddWebUi also registers
/// what the read API (Api/) needs: the review queries and the evidence reader.
/// </summary>
public static class WebUi
{
    public static IServiceCollection AddWebUi(this IServiceCollection services, WebUiOptions options, EvidenceOptions? evidence = null)
    {
        services.TryAddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RunSignals>();
        if (!services.Any(s => s.ServiceType == typeof(ReviewQueries))) services.AddReviewQueries();
        services.TryAddSingleton(_ => new EvidenceStores(evidence ?? new EvidenceOptions(), options.StateDirectory));
        // The read API's why and diff read Dockerfiles and SBOMs through the same stores as the pages.
        services.TryAddSingleton<EvidenceReader>(sp => sp.GetRequiredService<EvidenceStores>().FindAsync);
        return services;
    }

    /// <summary>
    /// From configuration: the Web section; the state directory (local evidence) is
    /// ControlPlane:StateDirectory as for the review API, and evidence on S3 is the Evidence section.
    /// </summary>
    public static IHostApplicationBuilder AddWebUi(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(WebUiOptions.Section).Get<WebUiOptions>() ?? new WebUiOptions();
        if (builder.Configuration["ControlPlane:StateDirectory"] is { Length: > 0 } state) options.StateDirectory = state;
        options.Keyring ??= builder.Configuration[Factory.Signing.KeyringLocation.ConfigurationKey];
        builder.Services.AddWebUi(options, EvidenceOptions.From(builder.Configuration));
        return builder;
    }

    public static IEndpointRouteBuilder MapWebUi(this IEndpointRouteBuilder app)
    {
        app.MapWebAssets();
        app.MapHomePages();
        app.MapPlanPages();
        app.MapRecordPages();
        app.MapReviewPages();
        app.MapFleetPage();
        app.MapAccessPages();
        return app;
    }
}
