namespace Factory.ControlPlane.Access;

/// <summary>One write to the API: who (token id, name, role) did what (<see cref="AuditActions"/>) to what, when.</summary>
public sealed record AuditEntry(DateTimeOffset At, string? TokenId, string? TokenName, Role Role, string Action, string Target, string? Detail = null);
