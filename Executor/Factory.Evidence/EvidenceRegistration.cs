using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Factory.Evidence;

public static class EvidenceRegistration
{
    /// <summary>The evidence stores of this process, and the configured one as <see cref="IEvidenceStore"/> (where new evidence goes).</summary>
    public static IServiceCollection AddEvidenceStores(this IServiceCollection services, EvidenceStores stores)
    {
        services.TryAddSingleton(stores);
        services.TryAddSingleton(stores.Configured);
        return services;
    }

    /// <summary>The embedded default when nothing else was registered: files under the state directory.</summary>
    public static IServiceCollection AddLocalEvidenceStore(this IServiceCollection services, string stateDirectory)
    {
        services.TryAddSingleton(_ => new EvidenceStores(new EvidenceOptions(), stateDirectory));
        services.TryAddSingleton(sp => sp.GetRequiredService<EvidenceStores>().Configured);
        return services;
    }
}
