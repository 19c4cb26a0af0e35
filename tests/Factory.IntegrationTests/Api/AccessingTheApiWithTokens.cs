using System.Net;
using System.Text;
using System.Text.Json;
using Factory.ControlPlane.Access;

namespace Factory.IntegrationTests.Api;

/// <summary>
/// Issue 10's API access on the control plane's host (real PostgreSQL and RabbitMQ): writes need a token of the right
/// role, reads need one too (anonymous reads are off on the control plane), probes stay open, and every write lands in
/// the audit log with the token that made it.
/// </summary>
public sealed class AccessingTheApiWithTokens(ControlPlaneApp app) : IClassFixture<ControlPlaneApp>
{
    private static StringContent Plan(string id) => new($"id: {id}\nmanifest: core_smoke\nplatforms: [linux/amd64]\n", Encoding.UTF8, "application/yaml");

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task Submitting_needs_a_submitter_token_and_replaying_an_operator_token_and_the_audit_log_shows_each_write()
    {
        var reader = await app.CreateTokenAsync(Role.Reader, "reader-test");
        var submitter = await app.CreateTokenAsync(Role.Submitter, "submitter-test");
        var @operator = await app.CreateTokenAsync(Role.Operator, "operator-test");
        using var anonymous = app.ClientWith(null);
        using var asReader = app.ClientWith(reader.Secret);
        using var asSubmitter = app.ClientWith(submitter.Secret);
        using var asOperator = app.ClientWith(@operator.Secret);

        using (var response = await anonymous.PostAsync("/api/plans", Plan("access_anonymous")))
        {
            var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized);
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
            Assert.Equal("submitter", problem.GetProperty("required_role").GetString());
        }
        using (var response = await asReader.PostAsync("/api/plans", Plan("access_reader")))
        {
            var problem = await ProblemAsync(response, HttpStatusCode.Forbidden);
            Assert.Equal("submitter", problem.GetProperty("required_role").GetString());
            Assert.Contains("has role reader", problem.GetProperty("detail").GetString());
        }
        Guid runId;
        using (var response = await asSubmitter.PostAsync("/api/plans", Plan("access_submitter")))
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
            runId = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
        }

        var replay = () => new StringContent("{\"all\": true}", Encoding.UTF8, "application/json");
        using (var response = await asSubmitter.PostAsync("/api/dlq/replay", replay()))
            Assert.Equal("operator", (await ProblemAsync(response, HttpStatusCode.Forbidden)).GetProperty("required_role").GetString());
        using (var response = await asOperator.PostAsync("/api/dlq/replay", replay()))
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        using (var response = await asSubmitter.PostAsync($"/api/plans/{runId}/cancel", null))
            Assert.Equal("operator", (await ProblemAsync(response, HttpStatusCode.Forbidden)).GetProperty("required_role").GetString());
        using (var response = await asOperator.PostAsync($"/api/plans/{runId}/cancel", null))
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        using (var response = await asSubmitter.GetAsync("/api/audit"))
            Assert.Equal("operator", (await ProblemAsync(response, HttpStatusCode.Forbidden)).GetProperty("required_role").GetString());
        using var audit = await asOperator.GetAsync("/api/audit");
        var entries = JsonDocument.Parse(await audit.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
        Assert.True(audit.StatusCode == HttpStatusCode.OK, entries.ToString());
        var writes = entries.Where(e => e.GetProperty("token_id").GetString() is { } id && id != reader.Token.Id)
            .Select(e => (Action: e.GetProperty("action").GetString(), Who: e.GetProperty("token_id").GetString(), Role: e.GetProperty("role").GetString(),
                Target: e.GetProperty("target").GetString()))
            .ToList();
        Assert.Contains((AuditActions.PlanSubmitted, submitter.Token.Id, "submitter", runId.ToString()), writes);
        Assert.Contains((AuditActions.DeadLettersReplayed, @operator.Token.Id, "operator", "all"), writes);
        Assert.Contains((AuditActions.PlanCancelled, @operator.Token.Id, "operator", runId.ToString()), writes);
        // Refused writes are not in the log: nothing by the reader, one submission by the submitter.
        Assert.Single(writes, w => w.Who == submitter.Token.Id);

        // The audit page in the UI shows the same.
        var page = await asOperator.GetStringAsync("/audit");
        Assert.Contains("submitter-test (" + submitter.Token.Id + ")", page);
        Assert.Contains(AuditActions.DeadLettersReplayed, page);
    }

    [Fact]
    public async Task Reads_need_a_token_on_the_control_plane_but_probes_and_metrics_stay_open()
    {
        using var anonymous = app.ClientWith(null);
        using (var response = await anonymous.GetAsync("/api/plans"))
            Assert.Equal("reader", (await ProblemAsync(response, HttpStatusCode.Unauthorized)).GetProperty("required_role").GetString());
        using (var response = await anonymous.GetAsync("/api/plans"))
            Assert.Equal("Bearer realm=\"factory\"", response.Headers.WwwAuthenticate.ToString());
        foreach (var open in new[] { "/healthz", "/health/live", "/metrics", "/api/fleet/targets" })
        {
            using var response = await anonymous.GetAsync(open);
            Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{open}: {(int)response.StatusCode}");
        }
        using var asReader = app.ClientWith((await app.CreateTokenAsync(Role.Reader)).Secret);
        using (var response = await asReader.GetAsync("/api/plans"))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var response = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/plans") { Headers = { { "Accept", "text/html" } } }))
            Assert.Equal("/signin?return=%2Fplans", response.RequestMessage!.RequestUri!.PathAndQuery);
    }

    [Fact]
    public async Task A_revoked_or_forged_token_is_refused_with_401()
    {
        var issued = await app.CreateTokenAsync(Role.Admin, "to-revoke");
        using var client = app.ClientWith(issued.Secret);
        using (var response = await client.GetAsync("/api/whoami"))
            Assert.Contains("\"to-revoke\"", await response.Content.ReadAsStringAsync());
        using (var revoke = await app.Http.DeleteAsync($"/api/tokens/{issued.Token.Id}"))
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        using (var response = await client.GetAsync("/api/plans"))
        {
            await ProblemAsync(response, HttpStatusCode.Unauthorized);
            Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        }
        // The right id with another secret: the hash does not match.
        var other = await app.CreateTokenAsync(Role.Admin);
        using var forger = app.ClientWith(other.Secret[..^4] + (other.Secret.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA"));
        using (var response = await forger.GetAsync("/api/plans"))
            await ProblemAsync(response, HttpStatusCode.Unauthorized);
    }
}
