using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Factory.UnitTests.Support;

/// <summary>
/// YAML to JSON as an editor's YAML language server sees it (YAML 1.2 core schema): quoted scalars are strings;
/// plain scalars are null, booleans, integers or floats when they look like one (so 1.0.0 and 30s stay strings,
/// priority: 5 becomes the number 5); mapping keys are always strings.
/// </summary>
public static partial class YamlJson
{
    [GeneratedRegex(@"^[-+]?[0-9]+\z")] private static partial Regex Decimal();
    [GeneratedRegex(@"^0o[0-7]+\z")] private static partial Regex Octal();
    [GeneratedRegex(@"^0x[0-9a-fA-F]+\z")] private static partial Regex Hex();
    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z")] private static partial Regex Float();

    public static JsonNode? FromYaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count == 0) throw new InvalidDataException("the YAML text has no document");
        return Convert(stream.Documents[0].RootNode);
    }

    public static string ToJsonText(string yaml) => FromYaml(yaml)?.ToJsonString() ?? "null";

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c =>
            KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", Convert(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidDataException($"unsupported YAML node {node.NodeType}"),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain || !scalar.Tag.IsEmpty) return JsonValue.Create(value);
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
        }
        if (Decimal().IsMatch(value)) return JsonValue.Create(long.Parse(value, CultureInfo.InvariantCulture));
        if (Octal().IsMatch(value)) return JsonValue.Create(System.Convert.ToInt64(value[2..], 8));
        if (Hex().IsMatch(value)) return JsonValue.Create(System.Convert.ToInt64(value[2..], 16));
        if (Float().IsMatch(value)) return JsonValue.Create(double.Parse(value, CultureInfo.InvariantCulture));
        return JsonValue.Create(value);
    }
}
