namespace Factory.ControlPlane.Access;

/// <summary>
/// Who may do what, decided without I/O. Probes and Prometheus need no token (/health/*, /healthz, /metrics), nor do
/// endpoints marked open (the shipped assets, the sign-in page). Every other request needs the role its endpoint
/// declares, else reader for a read (GET, HEAD) and submitter for anything else: a write is never anonymous, even one
/// nobody thought to mark. Reads without a token pass only when anonymous reads are on.
/// </summary>
public static class AccessPolicy
{
    public static Role? Required(string method, string path, Role? declared, bool open)
    {
        if (open || IsProbe(path)) return null;
        if (declared is { } role) return role;
        return IsRead(method) ? Role.Reader : Role.Submitter;
    }

    /// <param name="caller">The valid (known, not revoked) token presented, if any.</param>
    /// <param name="tokenPresented">Whether the request carried a token at all: a bad one is refused even where anonymous reads pass.</param>
    public static AccessVerdict Decide(Role? required, ApiToken? caller, bool tokenPresented, bool anonymousReads)
    {
        if (required is not { } role) return new AccessVerdict(AccessDecision.Allowed, null);
        if (caller is null)
            return new AccessVerdict(role == Role.Reader && anonymousReads && !tokenPresented ? AccessDecision.Allowed : AccessDecision.Unauthenticated, role);
        return new AccessVerdict(caller.Role.Covers(role) ? AccessDecision.Allowed : AccessDecision.Forbidden, role);
    }

    public static bool IsRead(string method) => HttpMethodIs(method, "GET") || HttpMethodIs(method, "HEAD");

    private static bool IsProbe(string path) =>
        path.Equals("/healthz", StringComparison.OrdinalIgnoreCase) || path.Equals("/metrics", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/health", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/health/", StringComparison.OrdinalIgnoreCase);

    private static bool HttpMethodIs(string method, string expected) => string.Equals(method, expected, StringComparison.OrdinalIgnoreCase);
}
