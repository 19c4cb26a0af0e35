using Microsoft.AspNetCore.Http;

namespace Factory.Web.Access;

/// <summary>
/// The token a request presents: the Authorization: Bearer header (the API, the CLI), else the cookie /signin sets for
/// a browser (HttpOnly, SameSite=Strict: another site's form post does not carry it).
/// </summary>
public static class BearerToken
{
    public const string Cookie = "factory_token";

    public static string? Of(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        if (header.Length > 0) return header; // another scheme: presented, and refused as no token of ours
        return request.Cookies.TryGetValue(Cookie, out var cookie) && cookie.Length > 0 ? cookie : null;
    }
}
