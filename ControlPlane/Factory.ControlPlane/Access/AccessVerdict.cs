namespace Factory.ControlPlane.Access;

/// <summary>The decision on one request, and the role it needed (null when the endpoint is open to anyone).</summary>
public sealed record AccessVerdict(AccessDecision Decision, Role? Required)
{
    public bool Allowed => Decision == AccessDecision.Allowed;
}
