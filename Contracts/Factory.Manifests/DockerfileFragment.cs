using System.Text;
using System.Text.Json;

namespace Factory.Manifests;

/// <summary>
/// Reads a module's Dockerfile fragment: no FROM, no ONBUILD, no ADD from URLs, no COPY --from; COPY and ADD
/// sources are paths inside the module directory. <see cref="RewriteSources"/> makes them paths in the
/// stitched build context.
/// </summary>
public static class DockerfileFragment
{
    private static readonly string[] Forbidden = ["FROM", "ONBUILD"];

    /// <summary>A '\' that continues the line, as it sits inside a joined instruction.</summary>
    private static readonly System.Text.RegularExpressions.Regex Continuation = new(@"\\[ \t]*\n", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>What BuildKit's Dockerfile parser splits an instruction's keyword from its arguments on.</summary>
    private static readonly char[] KeywordSeparators = [' ', '\t', '\v', '\f', '\r'];

    /// <summary>
    /// The instructions as BuildKit's parser reads them, so nothing can hide from <see cref="Check"/> behind other
    /// whitespace: lines split on '\n' only; trailing '\r' and '\n' dropped; leading Unicode whitespace trimmed;
    /// blank and '#' lines skipped, also inside a continuation; a line continues when it ends in '\' followed only by
    /// spaces or tabs (not by \v or \f, which BuildKit does not strip there); the keyword ends at the first space,
    /// tab, \v, \f or \r.
    /// </summary>
    public static IReadOnlyList<FragmentInstruction> Parse(string text)
    {
        var instructions = new List<FragmentInstruction>();
        var lines = text.Split('\n');
        var buffer = new StringBuilder();
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r', '\n');
            var content = line.TrimStart();
            // Blank and comment lines are skipped, also inside a continuation, as Docker does: they must not end an
            // instruction here that Docker would continue (its dangling '\' would swallow the next module's first line).
            if (content.Length == 0 || content.StartsWith('#')) continue;
            if (buffer.Length == 0) start = i + 1;
            if (ContinuesOnNextLine(line))
            {
                buffer.Append(line).Append('\n');
                continue;
            }
            buffer.Append(line);
            instructions.Add(Make(start, buffer.ToString()));
            buffer.Clear();
        }
        if (buffer.Length > 0)
        {
            // A continuation left open at the end of the fragment is closed here: it must not swallow the next module's line.
            var last = buffer.ToString().TrimEnd('\n', ' ', '\t');
            instructions.Add(Make(start, last.EndsWith('\\') ? last[..^1] : last));
        }
        return instructions;
    }

    private static bool ContinuesOnNextLine(string line)
    {
        var end = line.Length;
        while (end > 0 && line[end - 1] is ' ' or '\t') end--;
        return end > 0 && line[end - 1] == '\\';
    }

    private static FragmentInstruction Make(int line, string text)
    {
        var trimmed = text.Trim();
        var split = trimmed.IndexOfAny(KeywordSeparators);
        var keyword = (split < 0 ? trimmed : trimmed[..split]).ToUpperInvariant();
        var arguments = split < 0 ? "" : trimmed[(split + 1)..].Trim();
        return new FragmentInstruction(line, keyword, arguments, text.TrimEnd());
    }

    /// <summary>
    /// Problems with the fragment, each with the line it is on. Empty when the fragment is acceptable.
    /// <paramref name="moduleName"/> scopes cache mounts; by default it is the name of the version directory's parent
    /// (modules/NAME/VERSION).
    /// </summary>
    public static IReadOnlyList<string> Check(string text, string moduleDirectory, string? moduleName = null)
    {
        moduleName ??= Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(moduleDirectory).TrimEnd('/')) ?? "");
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
            if (ins.Keyword == "RUN")
            {
                foreach (var flag in LeadingFlags(ins.Arguments).Flags)
                    if (RunFlagProblem(flag, moduleName) is { } problem) problems.Add($"line {ins.Line}: {problem}");
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

    /// <summary>
    /// Why a RUN flag is refused, or null. Mounts would reach outside the module (bind of the context or another image,
    /// secrets, ssh agents) and network or security flags would undo the build sandbox; a cache mount stays only with an
    /// id of the module's own ("MODULE" or "MODULE/..."), so modules never share or poison each other's caches.
    /// </summary>
    private static string? RunFlagProblem(string flag, string moduleName)
    {
        var (name, value) = flag.IndexOf('=') is var eq and > 0 ? (flag[2..eq], flag[(eq + 1)..]) : (flag[2..], "");
        if (!name.Equals("mount", StringComparison.OrdinalIgnoreCase))
            return $"RUN --{name} is not allowed in a module fragment: a module's network comes from build.network in module.yaml, and nothing else may widen the build sandbox";
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in value.Trim('"', '\'').Split(','))
        {
            var (key, fieldValue) = field.IndexOf('=') is var at and > 0 ? (field[..at].Trim(), field[(at + 1)..].Trim()) : (field.Trim(), "");
            if (!fields.TryAdd(key, fieldValue))
                return $"RUN --mount names {key} twice ({flag}): each option may appear once";
        }
        var type = fields.TryGetValue("type", out var t) ? t.ToLowerInvariant() : "bind";
        if (type != "cache")
            return $"RUN --mount=type={type} is not allowed in a module fragment: a module may read only its own files (COPY them); only a cache mount with an id of the module's own may stay";
        if (fields.ContainsKey("from") || fields.ContainsKey("source") || fields.ContainsKey("src"))
            return $"RUN --mount=type=cache may not name from= or source= ({flag}): that reads another image or stage, an unpinned input";
        if (!fields.TryGetValue("id", out var id) || !(id == moduleName || id.StartsWith(moduleName + "/", StringComparison.Ordinal)))
            return $"RUN --mount=type=cache needs id={moduleName} or id={moduleName}/NAME ({flag}): a cache is scoped to its module";
        return null;
    }

    /// <summary>
    /// The flags at the start of an instruction's arguments (words starting with "--", split on any whitespace as
    /// BuildKit splits them) and what follows.
    /// </summary>
    private static (List<string> Flags, string Remainder) LeadingFlags(string arguments)
    {
        var rest = Continuation.Replace(arguments, " ").Trim();
        var flags = new List<string>();
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            var end = 0;
            while (end < rest.Length && !char.IsWhiteSpace(rest[end])) end++;
            flags.Add(rest[..end]);
            rest = rest[end..].TrimStart();
        }
        return (flags, rest);
    }

    private static (List<string> Flags, List<string> Sources, string? Destination) SplitCopy(string arguments)
    {
        var words = new List<string>();
        var (flags, rest) = LeadingFlags(arguments);
        if (rest.StartsWith('['))
        {
            try { words.AddRange(JsonSerializer.Deserialize<string[]>(rest) ?? []); }
            catch (JsonException) { words.Add(rest); }
        }
        else
        {
            words.AddRange(rest.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }
        if (words.Count < 2) return (flags, [], null);
        return (flags, words.Take(words.Count - 1).ToList(), words[^1]);
    }
}
