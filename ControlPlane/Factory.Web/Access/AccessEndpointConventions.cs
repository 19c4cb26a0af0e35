using Factory.ControlPlane.Access;
using Microsoft.AspNetCore.Builder;

namespace Factory.Web.Access;

public static class AccessEndpointConventions
{
    /// <summary>Requests to these endpoints need a token of at least this role.</summary>
    public static TBuilder RequiresRole<TBuilder>(this TBuilder builder, Role role) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RoleRequirement(role));
}
