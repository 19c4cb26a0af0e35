using System.Text;
using System.Text.Json;

namespace Factory.Manifests;

/// <summary>One instruction of a module's Dockerfile fragment, with continuation lines joined.</summary>
public sealed record FragmentInstruction(int Line, string Keyword, string Arguments, string Text);

/// <summary>
/// Reads a module's Dockerfile fragment: no FROM, no ONBUILD, no ADD from URLs, no COPY --from; COPY and ADD
/// sources are paths inside the module directory. <see cref="RewriteSources"/> makes them paths in the
/// stitched build context.
/// </summary>
public static class DockerfileFragment
{
    private static readonly string[] Forbidden = ["FROM", "ONBUILD"];

    public static IReadOnlyList<FragmentInstruction> Parse(string text)
    {
        var instructions = new List<FragmentInstruction>();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var buffer = new StringBuilder();
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            // Blank and comment lines are skipped, also inside a continuation, as Docker does: they must not end an
            // instruction here that Docker would continue (its dangling '\' would swallow the next module's first line).
            if (trimmed.Length == 0 || trimmed.StartsWith('#')) continue;
            if (buffer.Length == 0) start = i + 1;
            if (trimmed.EndsWith('\\'))
            {
                buffer.Append(line).Append('\n');
                continue;
            }
            buffer.Append(line);
            instructions.Add(Make(start, buffer.ToString()));
            buffer.Clear();
        }
        if (buffer.Length > 0) instructions.Add(Make(start, buffer.ToString().TrimEnd('\\', '\n')));
        return instructions;
    }

    private static FragmentInstruction Make(int line, string text)
    {
        var trimmed = text.TrimStart();
        var split = trimmed.IndexOfAny([' ', '\t']);
        var keyword = (split < 0 ? trimmed : trimmed[..split]).ToUpperInvariant();
        var arguments = split < 0 ? "" : trimmed[(split + 1)..].Trim();
        return new FragmentInstruction(line, keyword, arguments, text.TrimEnd());
    }

    /// <summary>Problems with the fragment, each with the line it is on. Empty when the fragment is acceptable.</summary>
    public static IReadOnlyList<string> Check(string text, string moduleDirectory)
    {
        var problems = new List<string>();
        var instructions = Parse(text);
        if (instructions.Count == 0) problems.Add("the fragment has no instructions");
        foreach (var ins in instructions)
        {
            if (Forbidden.Contains(ins.Keyword))
            {
                problems.Add($"line {ins.Line}: {ins.Keyword} is not allowed in a module fragment (the template supplies the base image)");
                continue;
            }
            if (ins.Keyword is not ("COPY" or "ADD")) continue;
            var (flags, sources, _) = SplitCopy(ins.Arguments);
            if (flags.Any(f => f.StartsWith("--from", StringComparison.OrdinalIgnoreCase)))
                problems.Add($"line {ins.Line}: COPY --from is not allowed: a module may copy only its own files");
            if (sources.Count == 0)
                problems.Add($"line {ins.Line}: {ins.Keyword} needs a source and a destination");
            foreach (var source in sources)
            {
                if (source.Contains("://") || source.StartsWith("git@", StringComparison.Ordinal))
                    problems.Add($"line {ins.Line}: {ins.Keyword} from a URL ({source}) is not allowed: inputs must be pinned files of the module");
                else if (Path.IsPathRooted(source) || source.Split('/').Contains(".."))
                    problems.Add($"line {ins.Line}: {ins.Keyword} source '{source}' must be a relative path inside the module directory");
                else if (source.IndexOfAny(['*', '?', '[']) < 0 && !File.Exists(Path.Combine(moduleDirectory, source)) && !Directory.Exists(Path.Combine(moduleDirectory, source)))
                    problems.Add($"line {ins.Line}: {ins.Keyword} source '{source}' does not exist in the module directory");
            }
        }
        return problems;
    }

    /// <summary>The fragment with every COPY/ADD source prefixed by <paramref name="contextPrefix"/>.</summary>
    public static string RewriteSources(string text, string contextPrefix)
    {
        var output = new StringBuilder();
        foreach (var ins in Parse(text))
        {
            if (ins.Keyword is "COPY" or "ADD")
            {
                var (flags, sources, destination) = SplitCopy(ins.Arguments);
                var rewritten = sources.Select(s => $"{contextPrefix.TrimEnd('/')}/{InsideModule(s)}".TrimEnd('/')).ToList();
                var parts = flags.Concat([JsonSerializer.Serialize(rewritten.Append(destination ?? "").ToArray())]);
                output.Append(ins.Keyword).Append(' ').Append(string.Join(' ', parts)).Append('\n');
            }
            else
            {
                output.Append(ins.Text).Append('\n');
            }
        }
        return output.ToString();
    }

    /// <summary>A source relative to the module directory: leading "./" (and "/") dropped, but not the dot of a dotfile.</summary>
    private static string InsideModule(string source)
    {
        var path = source;
        while (path.StartsWith("./", StringComparison.Ordinal) || path.StartsWith('/')) path = path[(path[0] == '/' ? 1 : 2)..];
        return path == "." ? "" : path;
    }

    private static (List<string> Flags, List<string> Sources, string? Destination) SplitCopy(string arguments)
    {
        var words = new List<string>();
        var rest = arguments.Replace("\\\n", " ").Trim();
        var flags = new List<string>();
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            var end = rest.IndexOfAny([' ', '\t']);
            if (end < 0) { flags.Add(rest); rest = ""; break; }
            flags.Add(rest[..end]);
            rest = rest[end..].TrimStart();
        }
        if (rest.StartsWith('['))
        {
            try { words.AddRange(JsonSerializer.Deserialize<string[]>(rest) ?? []); }
            catch (JsonException) { words.Add(rest); }
        }
        else
        {
            words.AddRange(rest.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries));
        }
        if (words.Count < 2) return (flags, [], null);
        return (flags, words.Take(words.Count - 1).ToList(), words[^1]);
    }
}
