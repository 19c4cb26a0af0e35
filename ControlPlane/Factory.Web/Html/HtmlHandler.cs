using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Factory.Web.Html;

/// <summary>
/// Interpolated markup: the literal parts are the page's own markup, every hole is encoded unless it is
/// <see cref="RawHtml"/>. So text from records (names, logs, reasons) can never become markup by mistake.
/// </summary>
[InterpolatedStringHandler]
public ref struct HtmlHandler
{
    private readonly StringBuilder _out;

    public HtmlHandler(int literalLength, int formattedCount, HtmlBuilder builder)
    {
        _out = builder.Output;
        _out.EnsureCapacity(_out.Length + literalLength + formattedCount * 16);
    }

    public readonly void AppendLiteral(string value) => _out.Append(value);
    public readonly void AppendFormatted(string? value) => HtmlText.Encode(_out, value);
    public readonly void AppendFormatted(RawHtml value) => _out.Append(value.Value);
    public readonly void AppendFormatted(int value) => _out.Append(value);
    public readonly void AppendFormatted(long value) => _out.Append(value);
    public readonly void AppendFormatted<T>(T value) => HtmlText.Encode(_out, value?.ToString());
    public readonly void AppendFormatted<T>(T value, string? format) =>
        HtmlText.Encode(_out, value is IFormattable formattable ? formattable.ToString(format, CultureInfo.InvariantCulture) : value?.ToString());
}
