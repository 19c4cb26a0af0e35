using Factory.Web.Html;

namespace Factory.Web.Pages;

/// <summary>A form to paste a token into: a browser cannot send a bearer header by itself, so /signin keeps it in a cookie.</summary>
public static class SignInPage
{
    public static RawHtml Render(string returnUrl, string? error) => new HtmlBuilder().Add($"""
        <h1>Sign in</h1>
        <p>Paste a token (<code>factory tokens create --role reader</code>, or operator to cancel and replay from these pages).</p>
        {(error is null ? new RawHtml("") : new HtmlBuilder().Add($"<p class=\"error\" role=\"alert\">{error}</p>").ToHtml())}
        <form method="post" action="/signin"><input type="hidden" name="return" value="{returnUrl}">
        <label>Token <input type="password" name="token" autocomplete="off" required></label> <button type="submit">Sign in</button></form>
        <form method="post" action="/signout"><button type="submit">Sign out</button></form>
        """).ToHtml();
}
