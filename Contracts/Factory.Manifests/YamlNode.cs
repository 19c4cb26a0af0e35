using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Factory.Manifests;

/// <summary>
/// A YAML node with its file and dotted field path, so that every complaint names where it is.
/// Reading never throws for a wrong shape: it records an error and returns a default.
/// </summary>
internal sealed class YamlNode
{
    private readonly YamlNode? _parent;
    public YamlDotNet.RepresentationModel.YamlNode? Node { get; }
    public string File { get; }
    public string Path { get; }
    public ErrorSink Errors { get; }

    private YamlNode(YamlDotNet.RepresentationModel.YamlNode? node, string file, string path, ErrorSink errors, YamlNode? parent)
    {
        Node = node; File = file; Path = path; Errors = errors; _parent = parent;
    }

    public static YamlNode? Load(string file, string displayName, ErrorSink errors)
    {
        try
        {
            using var reader = new StreamReader(file);
            return Load(reader, displayName, errors);
        }
        catch (IOException ex)
        {
            errors.Add(displayName, "", $"cannot be read: {ex.Message}");
            return null;
        }
    }

    /// <summary>
    /// Reads one document within <paramref name="limits"/> (<see cref="YamlLimits.Default"/> when null); a document past
    /// them is an error naming the limit and where, never a stack overflow or minutes of CPU.
    /// </summary>
    public static YamlNode? Load(TextReader reader, string displayName, ErrorSink errors, YamlLimits? limits = null, CancellationToken cancellation = default)
    {
        limits ??= YamlLimits.Default;
        PositionTrackingParser? parser = null;
        try
        {
            var stream = new YamlStream();
            parser = new PositionTrackingParser(new Parser(new BoundedTextReader(reader, limits.MaxCharacters)));
            stream.Load(new YamlLimitingParser(parser, limits, cancellation));
            if (stream.Documents.Count == 0)
            {
                errors.Add(displayName, "", "the file is empty: expected a YAML mapping");
                return null;
            }
            return new YamlNode(stream.Documents[0].RootNode, displayName, "", errors, null);
        }
        catch (YamlLimitExceededException ex)
        {
            errors.Add(displayName, "", $"is refused: {ex.Message}");
            return null;
        }
        catch (YamlException ex) when (ex.InnerException is YamlLimitExceededException limit)
        {
            errors.Add(displayName, "", $"is refused: {limit.Message}");
            return null;
        }
        catch (YamlException ex)
        {
            var inner = ex.InnerException?.Message ?? ex.Message;
            errors.Add(displayName, "", $"malformed YAML at line {ex.Start.Line}, column {ex.Start.Column}: {inner}");
            return null;
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this (not a YamlException) for some truncated flow collections.
            var line = parser?.LastEnd.Line ?? 0;
            errors.Add(displayName, "", $"malformed YAML at line {line}, after column {parser?.LastEnd.Column ?? 0}: {ex.Message} (an unclosed [ or {{ is a common cause)");
            return null;
        }
    }

    public bool IsMissing => Node is null || Node is YamlScalarNode { Style: ScalarStyle.Plain, Value: "" or "~" or "null" };

    public void Error(string message) => Errors.Add(File, Path, message + Location());

    /// <summary>An error whose message is made only if it is kept (see <see cref="ErrorSink"/>).</summary>
    public void Error(Func<string> message) => Errors.Add(File, Path, () => message() + Location());

    private string Location() => Node is null || Node.Start.Line == 0 ? "" : $" (line {Node.Start.Line})";

    private string Describe() => Node switch
    {
        null => "nothing",
        YamlScalarNode s => $"'{s.Value}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "an unknown node",
    };

    public YamlNode Field(string name)
    {
        var childPath = string.IsNullOrEmpty(Path) ? name : $"{Path}.{name}";
        YamlDotNet.RepresentationModel.YamlNode? child = null;
        if (Node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(name), out var value))
            child = value;
        return new YamlNode(child, File, childPath, Errors, this);
    }

    public bool RequireMapping()
    {
        if (Node is YamlMappingNode) return true;
        Error(IsMissing ? "is required: expected a mapping" : $"expected a mapping, found {Describe()}");
        return false;
    }

    public IEnumerable<KeyValuePair<string, YamlNode>> Entries()
    {
        if (Node is not YamlMappingNode map) yield break;
        foreach (var (key, value) in map.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            var childPath = string.IsNullOrEmpty(Path) ? name : $"{Path}.{name}";
            yield return new(name, new YamlNode(value, File, childPath, Errors, this));
        }
    }

    public IReadOnlyList<YamlNode> Items(bool required = true)
    {
        if (Node is YamlSequenceNode seq)
            return seq.Children.Select((c, i) => new YamlNode(c, File, $"{Path}[{i}]", Errors, this)).ToList();
        if (IsMissing)
        {
            if (required) Error("is required: expected a list");
            return [];
        }
        Error($"expected a list, found {Describe()}");
        return [];
    }

    public string? String(bool required = true)
    {
        if (Node is YamlScalarNode scalar && !IsMissing) return scalar.Value;
        if (IsMissing)
        {
            if (required) Error("is required: expected a string");
            return null;
        }
        Error($"expected a string, found {Describe()}");
        return null;
    }

    public int? Int(bool required = true, int? min = null, int? max = null)
    {
        var text = String(required);
        if (text is null) return null;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            Error($"expected a whole number, found '{text}'");
            return null;
        }
        if (value < min || value > max)
        {
            Error($"expected a number from {min} to {max}, found {value}");
            return null;
        }
        return value;
    }

    /// <summary>A YAML 1.2 boolean: true or false unquoted (as an editor's schema reads it, "true" in quotes is a string).</summary>
    public bool? Bool(bool required = true)
    {
        var text = String(required);
        if (text is null) return null;
        if (Node is YamlScalarNode { Style: ScalarStyle.Plain } && text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
            return text.Equals("true", StringComparison.OrdinalIgnoreCase);
        Error($"expected true or false, found '{text}'");
        return null;
    }

    public TimeSpan? Duration(bool required = true)
    {
        var text = String(required);
        if (text is null) return null;
        if (DurationParser.TryParse(text, out var value)) return value;
        Error($"expected a duration such as 30s, 2m or 2h, found '{text}'");
        return null;
    }

    public IReadOnlyList<string> StringList(bool required = true) =>
        Items(required).Select(i => i.String()).OfType<string>().ToList();

    public void RejectUnknownFields(params string[] known)
    {
        foreach (var (name, child) in Entries())
            if (!known.Contains(name))
                child.Error($"unknown field: expected one of {string.Join(", ", known)}");
    }
}
