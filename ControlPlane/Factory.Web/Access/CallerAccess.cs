using Factory.ControlPlane.Access;
using Microsoft.AspNetCore.Http;

namespace Factory.Web.Access;

/// <summary>The token a request was let in with (null for an anonymous read or an open endpoint).</summary>
public static class CallerAccess
{
    private static readonly object Key = new();

    public static ApiToken? Caller(this HttpContext context) => context.Items.TryGetValue(Key, out var caller) ? caller as ApiToken : null;

    internal static void SetCaller(this HttpContext context, ApiToken caller) => context.Items[Key] = caller;
}
