using Factory.ControlPlane.Review;
using Factory.Contracts.Records;
using Factory.Web.Html;

namespace Factory.Web.Pages;

/// <summary>
/// "Why built / why reused": the record's inputs against the nearest earlier record of its manifest and platform;
/// and for a failure, the step that failed with its module and that module's owner.
/// </summary>
public static class WhyBuiltSection
{
    public static RawHtml Render(CompatibilityRecord record, RecordExplanation explanation)
    {
        var (buildId, why) = (record.BuildId, explanation.WhyBuilt);
        var html = new HtmlBuilder(1024);
        if (explanation.FailedStep is { } step)
        {
            html.Add($"<h2>Where it failed</h2><p id=\"failed-step\"><b>{step.Stage}</b>: {step.Detail}");
            if (step.Module is { } module)
                html.Add($" · module <b>{module.Name} {module.Version}</b> (slot {module.Slot}){(module.Owner is { } owner ? $", owned by {owner.Handle} ({owner.Team})" : "")}");
            html.Add($"</p>");
        }
        html.Add($"<h2>Why built</h2><p id=\"why-built\" data-verdict=\"{why.Verdict}\">{why.Text}");
        if (why.ComparedWith is { } other)
            html.Add($" · compared with <a href=\"{Links.Record(other)}\">build {other.ToString()[..8]}</a> · <a href=\"{Links.Diff(other, buildId)}\">diff (inputs, tests, SBOM)</a>");
        html.Add($"</p>");
        if (why.Changes.Count > 0)
        {
            html.Add($"<table class=\"changes\"><thead><tr><th>input</th><th>before</th><th>after</th></tr></thead><tbody>");
            foreach (var c in why.Changes) html.Add($"<tr><td>{c.Kind.Replace('_', ' ')} {c.Name}</td><td><code>{c.From}</code></td><td><code>{c.To}</code></td></tr>");
            html.Add($"</tbody></table>");
        }
        html.Add($"<p class=\"note\">A combination is reused when a passing record has the same key (template version, base digest, platform and every module's version) and the same test suite; any of these changing means a new build or a new test run.</p>");
        return html.ToHtml();
    }
}
