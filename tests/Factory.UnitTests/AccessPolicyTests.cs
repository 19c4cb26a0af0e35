using Factory.ControlPlane.Access;

namespace Factory.UnitTests;

public sealed class AccessPolicyTests
{
    private static ApiToken Token(Role role) => new("0123456789abcdef", role, "t", DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData("GET", "/api/plans", Role.Reader)]
    [InlineData("HEAD", "/records/abc", Role.Reader)]
    [InlineData("POST", "/api/plans", Role.Submitter)]
    [InlineData("PUT", "/api/anything", Role.Submitter)]
    [InlineData("DELETE", "/api/anything", Role.Submitter)]
    [InlineData("PATCH", "/whatever", Role.Submitter)]
    public void An_undeclared_endpoint_needs_reader_to_read_and_submitter_for_anything_else(string method, string path, Role expected) =>
        Assert.Equal(expected, AccessPolicy.Required(method, path, declared: null, open: false));

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/metrics")]
    public void Probes_and_metrics_need_no_token(string path) => Assert.Null(AccessPolicy.Required("GET", path, declared: Role.Admin, open: false));

    [Fact]
    public void A_declared_role_wins_and_an_open_endpoint_needs_none()
    {
        Assert.Equal(Role.Operator, AccessPolicy.Required("POST", "/api/dlq/replay", Role.Operator, open: false));
        Assert.Equal(Role.Operator, AccessPolicy.Required("GET", "/api/audit", Role.Operator, open: false));
        Assert.Null(AccessPolicy.Required("POST", "/signin", null, open: true));
        Assert.Equal(Role.Reader, AccessPolicy.Required("GET", "/healthzz", null, open: false));
    }

    [Theory]
    [InlineData(Role.Reader, Role.Reader, AccessDecision.Allowed)]
    [InlineData(Role.Reader, Role.Submitter, AccessDecision.Forbidden)]
    [InlineData(Role.Submitter, Role.Submitter, AccessDecision.Allowed)]
    [InlineData(Role.Submitter, Role.Operator, AccessDecision.Forbidden)]
    [InlineData(Role.Operator, Role.Submitter, AccessDecision.Allowed)]
    [InlineData(Role.Operator, Role.Admin, AccessDecision.Forbidden)]
    [InlineData(Role.Admin, Role.Operator, AccessDecision.Allowed)]
    [InlineData(Role.Admin, Role.Reader, AccessDecision.Allowed)]
    public void Roles_are_ordered_each_including_those_below(Role held, Role required, AccessDecision expected)
    {
        var verdict = AccessPolicy.Decide(required, Token(held), tokenPresented: true, anonymousReads: false);
        Assert.Equal(expected, verdict.Decision);
        Assert.Equal(required, verdict.Required);
    }

    [Theory]
    [InlineData(Role.Reader, false, AccessDecision.Unauthenticated)]
    [InlineData(Role.Reader, true, AccessDecision.Allowed)]
    [InlineData(Role.Submitter, true, AccessDecision.Unauthenticated)]
    [InlineData(Role.Operator, true, AccessDecision.Unauthenticated)]
    public void Without_a_token_only_reads_pass_and_only_when_anonymous_reads_are_on(Role required, bool anonymousReads, AccessDecision expected) =>
        Assert.Equal(expected, AccessPolicy.Decide(required, caller: null, tokenPresented: false, anonymousReads).Decision);

    [Fact]
    public void A_bad_token_is_refused_even_for_a_read_that_could_be_anonymous() =>
        Assert.Equal(AccessDecision.Unauthenticated, AccessPolicy.Decide(Role.Reader, caller: null, tokenPresented: true, anonymousReads: true).Decision);

    [Fact]
    public void An_open_endpoint_is_allowed_whatever_is_presented()
    {
        Assert.True(AccessPolicy.Decide(null, null, tokenPresented: true, anonymousReads: false).Allowed);
        Assert.Null(AccessPolicy.Decide(null, null, tokenPresented: false, anonymousReads: false).Required);
    }
}
