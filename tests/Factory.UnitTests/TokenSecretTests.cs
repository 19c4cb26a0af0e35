using Factory.ControlPlane.Access;

namespace Factory.UnitTests;

public sealed class TokenSecretTests
{
    [Fact]
    public void A_generated_token_parses_back_to_its_id_and_its_secret_matches_the_stored_hash()
    {
        var (bearer, id, hash) = TokenSecret.Generate();
        Assert.True(TokenSecret.TryParse(bearer, out var parsedId, out var secret));
        Assert.Equal(id, parsedId);
        Assert.True(TokenSecret.Matches(secret, hash));
        Assert.False(TokenSecret.Matches(secret + "x", hash));
        Assert.Equal(32, hash.Length);
        Assert.DoesNotContain(Convert.ToHexString(hash), bearer, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Two_tokens_never_share_an_id_or_a_secret()
    {
        var (a, idA, _) = TokenSecret.Generate();
        var (b, idB, _) = TokenSecret.Generate();
        Assert.NotEqual(idA, idB);
        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer factory_0123456789abcdef_x")]
    [InlineData("factory_0123_secret")]
    [InlineData("factory_0123456789abcdef_")]
    [InlineData("other_0123456789abcdef_secret")]
    public void Anything_not_shaped_like_a_token_is_refused(string? bearer) => Assert.False(TokenSecret.TryParse(bearer, out _, out _));

    [Theory]
    [InlineData("reader", Role.Reader)]
    [InlineData("Operator", Role.Operator)]
    [InlineData(" admin ", Role.Admin)]
    public void Roles_parse_by_name_in_any_case(string text, Role expected)
    {
        Assert.True(Roles.TryParse(text, out var role));
        Assert.Equal(expected, role);
    }

    [Theory]
    [InlineData("root")]
    [InlineData("")]
    [InlineData("2")]
    public void Unknown_roles_do_not_parse(string text) => Assert.False(Roles.TryParse(text, out _));

    [Fact]
    public void The_accepted_roles_are_listed_in_order() => Assert.Equal("reader, submitter, operator, admin", Roles.Accepted);
}
