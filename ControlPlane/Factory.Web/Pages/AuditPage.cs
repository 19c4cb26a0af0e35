using Factory.ControlPlane.Access;
using Factory.Web.Html;

namespace Factory.Web.Pages;

/// <summary>The audit log, newest first: who (token name and id, role) submitted, cancelled, replayed or managed tokens, and when.</summary>
public static class AuditPage
{
    public static RawHtml Render(IReadOnlyList<AuditEntry> entries)
    {
        var html = new HtmlBuilder().Add($"<h1>Audit log</h1>");
        if (entries.Count == 0) return html.Add($"<p class=\"note\">Nothing was written through the API yet.</p>").ToHtml();
        html.Add($"<table class=\"audit\"><thead><tr><th>when</th><th>who</th><th>role</th><th>action</th><th>target</th><th>detail</th></tr></thead><tbody>");
        foreach (var e in entries)
            html.Add($"<tr><td>{Show.Time(e.At)}</td><td>{Who(e)}</td><td>{e.Role.Name()}</td><td><code>{e.Action}</code></td><td>{e.Target}</td><td>{e.Detail}</td></tr>");
        return html.Add($"</tbody></table>").ToHtml();
    }

    private static string Who(AuditEntry e) => (e.TokenName, e.TokenId) switch
    {
        ({ } name, { } id) => $"{name} ({id})",
        (null, { } id) => id,
        ({ } name, null) => name,
        _ => "anonymous",
    };
}
