namespace Factory.Web.Pages;

/// <summary>A compare page's query: each side a time, a duration ago or a plan run id, optionally one plan's records; the tab shown.</summary>
public sealed record CompareQuery(string Manifest, string? Before, string? After, string? BeforePlan, string? AfterPlan, string Tab)
{
    public string With(string tab)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(Before)) parts.Add($"before={Uri.EscapeDataString(Before)}");
        if (!string.IsNullOrEmpty(After)) parts.Add($"after={Uri.EscapeDataString(After)}");
        if (!string.IsNullOrEmpty(BeforePlan)) parts.Add($"before_plan={Uri.EscapeDataString(BeforePlan)}");
        if (!string.IsNullOrEmpty(AfterPlan)) parts.Add($"after_plan={Uri.EscapeDataString(AfterPlan)}");
        parts.Add($"tab={tab}");
        return $"{Links.Compare(Manifest)}?{string.Join("&", parts)}";
    }
}
