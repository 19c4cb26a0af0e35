using System.Runtime.CompilerServices;
using System.Text;

namespace Factory.Web.Html;

/// <summary>Writes a page into one buffer: <c>html.Add($"&lt;td&gt;{name}&lt;/td&gt;")</c> encodes <c>name</c>.</summary>
public sealed class HtmlBuilder(int capacity = 16 * 1024)
{
    internal StringBuilder Output { get; } = new(capacity);

    public HtmlBuilder Add([InterpolatedStringHandlerArgument("")] ref HtmlHandler markup) => this;

    public HtmlBuilder Text(string? text)
    {
        HtmlText.Encode(Output, text);
        return this;
    }

    public RawHtml ToHtml() => new(Output.ToString());

    public override string ToString() => Output.ToString();
}
