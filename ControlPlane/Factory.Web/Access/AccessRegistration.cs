using Factory.ControlPlane.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Factory.Web.Access;

/// <summary>
/// Bearer tokens and the audit log for a host that registered an <see cref="IAccessStore"/>: the control plane
/// (PostgreSQL, anonymous reads off unless Auth:AnonymousReads) and `factory serve` (SQLite, anonymous reads on).
/// </summary>
public static class AccessRegistration
{
    public static IServiceCollection AddApiAccess(this IServiceCollection services, IConfiguration configuration, bool anonymousReadsByDefault)
    {
        var options = new AccessOptions { AnonymousReads = anonymousReadsByDefault };
        configuration.GetSection(AccessOptions.Section).Bind(options);
        services.TryAddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ApiTokens>();
        services.TryAddSingleton<AuditTrail>();
        return services;
    }

    /// <summary>Before the endpoints: every request passes <see cref="AccessPolicy"/> first.</summary>
    public static IApplicationBuilder UseApiAccess(this IApplicationBuilder app) => app.UseMiddleware<ApiAccessMiddleware>();
}
