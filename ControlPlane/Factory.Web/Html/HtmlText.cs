using System.Text;

namespace Factory.Web.Html;

/// <summary>Text as HTML: the five characters that can end text or an attribute value are escaped, nothing else.</summary>
public static class HtmlText
{
    public static void Encode(StringBuilder output, string? text)
    {
        if (string.IsNullOrEmpty(text)) return;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var escaped = text[i] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => null,
            };
            if (escaped is null) continue;
            output.Append(text, start, i - start).Append(escaped);
            start = i + 1;
        }
        output.Append(text, start, text.Length - start);
    }

    public static string Encode(string? text)
    {
        var output = new StringBuilder(text?.Length ?? 0);
        Encode(output, text);
        return output.ToString();
    }
}
