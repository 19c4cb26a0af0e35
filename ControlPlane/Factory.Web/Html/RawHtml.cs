namespace Factory.Web.Html;

/// <summary>Markup that is already safe (built by <see cref="HtmlBuilder"/>): written as it is, never encoded again.</summary>
public readonly record struct RawHtml(string Value)
{
    public override string ToString() => Value;
}
