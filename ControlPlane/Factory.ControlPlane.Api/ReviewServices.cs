using Factory.ControlPlane.Review;
using Factory.Evidence;

namespace Factory.ControlPlane.Api;

public static class ReviewServices
{
    /// <summary>
    /// The review API's reads, and the evidence stores the record diff reads SBOMs from: Evidence:* as the executors
    /// have it (S3 in a fleet), local files under ControlPlane:StateDirectory (default .factory) otherwise.
    /// </summary>
    public static IHostApplicationBuilder AddReviewServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddReviewQueries();
        var stateDirectory = builder.Configuration["ControlPlane:StateDirectory"] is { Length: > 0 } s ? s : ".factory";
        builder.Services.AddSingleton(_ => new EvidenceStores(EvidenceOptions.From(builder.Configuration), stateDirectory));
        builder.Services.AddSingleton<EvidenceReader>(sp => sp.GetRequiredService<EvidenceStores>().FindAsync);
        return builder;
    }
}
