using Factory.ControlPlane.Access;

namespace Factory.IntegrationTests.Access;

/// <summary>
/// What every access store must do, on the fleet's PostgreSQL and the embedded SQLite alike: keep tokens by id with
/// the hash of their secret only, revoke once, and keep the audit log newest first. Driven through <see cref="ApiTokens"/>,
/// the one code path `factory tokens`, the API and the harnesses use.
/// </summary>
public abstract class AccessStoreContract
{
    protected abstract IAccessStore Store { get; }
    private static CancellationToken Ct => CancellationToken.None;
    private ApiTokens Tokens => new(Store, TimeProvider.System);

    [Fact]
    public async Task A_created_token_authenticates_and_its_secret_is_not_stored()
    {
        var issued = await Tokens.CreateAsync(Role.Operator, "ci", null, Ct);
        var found = await Tokens.AuthenticateAsync(issued.Secret, Ct);
        Assert.Equal(issued.Token with { CreatedAt = found!.CreatedAt }, found);
        Assert.True((found.CreatedAt - issued.Token.CreatedAt).Duration() < TimeSpan.FromMilliseconds(1));
        var stored = await Store.FindTokenAsync(issued.Token.Id, Ct);
        Assert.Equal(32, stored!.SecretHash.Length);
        Assert.DoesNotContain(System.Text.Encoding.UTF8.GetString(stored.SecretHash), issued.Secret);
        Assert.Null(await Tokens.AuthenticateAsync(issued.Secret + "x", Ct));
        Assert.Null(await Store.FindTokenAsync("0000000000000000", Ct));
    }

    [Fact]
    public async Task A_revoked_token_no_longer_authenticates_and_stays_listed_as_revoked()
    {
        var issued = await Tokens.CreateAsync(Role.Reader, null, null, Ct);
        Assert.True(await Tokens.RevokeAsync(issued.Token.Id, null, Ct));
        Assert.True(await Tokens.RevokeAsync(issued.Token.Id, null, Ct)); // again: still there, still revoked
        Assert.False(await Tokens.RevokeAsync("ffffffffffffffff", null, Ct));
        Assert.Null(await Tokens.AuthenticateAsync(issued.Secret, Ct));
        var listed = Assert.Single(await Store.ListTokensAsync(Ct), t => t.Id == issued.Token.Id);
        Assert.True(listed.IsRevoked);
        Assert.Null(listed.Name);
    }

    [Fact]
    public async Task The_audit_log_lists_the_newest_entry_first_with_who_did_it()
    {
        var admin = (await Tokens.CreateAsync(Role.Admin, "boss", null, Ct)).Token;
        var t0 = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await Store.AppendAuditAsync(new AuditEntry(t0, admin.Id, admin.Name, admin.Role, AuditActions.PlanSubmitted, "run-1", "plan p"), Ct);
        await Store.AppendAuditAsync(new AuditEntry(t0.AddSeconds(1), admin.Id, admin.Name, admin.Role, AuditActions.PlanCancelled, "run-1"), Ct);
        var entries = await Store.ListAuditAsync(2, Ct);
        Assert.Equal([AuditActions.PlanCancelled, AuditActions.PlanSubmitted], entries.Select(e => e.Action));
        Assert.Equal(new AuditEntry(t0, admin.Id, "boss", Role.Admin, AuditActions.PlanSubmitted, "run-1", "plan p"), entries[1]);
        // Creating the token was audited too, as done on the database directly.
        var all = await Store.ListAuditAsync(100, Ct);
        Assert.Contains(all, e => e.Action == AuditActions.TokenCreated && e.Target == admin.Id && e.TokenName == ApiTokens.DatabaseOwner && e.Detail == "role admin");
    }
}
