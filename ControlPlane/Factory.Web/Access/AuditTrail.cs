using Factory.ControlPlane.Access;
using Factory.Contracts.Failures;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Factory.Web.Access;

/// <summary>
/// Records a write once it has been done, as the caller that did it. The write stands even when the audit entry
/// cannot be stored (the database went away in between): answering 503 would make the client submit twice.
/// </summary>
public sealed class AuditTrail(IAccessStore store, TimeProvider clock, ILogger<AuditTrail> logger)
{
    public async Task RecordAsync(HttpContext context, string action, string target, string? detail = null)
    {
        var caller = context.Caller();
        var entry = new AuditEntry(clock.GetUtcNow(), caller?.Id, caller?.Name, caller?.Role ?? Role.Reader, action, target, detail);
        try
        {
            await store.AppendAuditAsync(entry, CancellationToken.None);
        }
        catch (InfrastructureException ex)
        {
            logger.LogError(ex, "audit entry not stored: {Action} {Target} by {Token} ({Detail})", action, target, caller?.Display ?? "anonymous", detail);
        }
    }
}
