using Factory.Planning;
using Factory.ControlPlane.Runs;
using Factory.Records;
using Microsoft.Extensions.DependencyInjection;

namespace Factory.ControlPlane.Review;

public static class ReviewRegistration
{
    /// <summary>The reviewer's reads over the registered record store (and plan state, for plan run ids), and resolve.</summary>
    public static IServiceCollection AddReviewQueries(this IServiceCollection services)
    {
        services.AddSingleton(sp => new ReviewQueries(sp.GetRequiredService<ICompatibilityRecordStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IPlanStateStore>()));
        services.AddTransient(sp => new CellResolver(sp.GetRequiredService<PlanPreparer>(), sp.GetRequiredService<ICompatibilityRecordStore>(),
            sp.GetRequiredService<PoolCatalog>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
