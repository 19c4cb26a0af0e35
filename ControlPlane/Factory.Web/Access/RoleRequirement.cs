using Factory.ControlPlane.Access;

namespace Factory.Web.Access;

/// <summary>Endpoint metadata: the role a request to this endpoint needs (otherwise reader for reads, submitter for writes).</summary>
public sealed record RoleRequirement(Role Role);
