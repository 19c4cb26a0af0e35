using System.Text;
using System.Text.RegularExpressions;

namespace Factory.IntegrationTests.Hostile;

/// <summary>
/// One file of tests/hostile: its '# key: value' header lines and its body, with {{repeat "TEXT" N}} expanded (TEXT
/// may hold \t \v \f \r \n \\ escapes) and {{seq "PREFIX" N}} as "PREFIX0, PREFIX1, ..." (N items). See tests/hostile/README.md.
/// </summary>
public sealed partial record HostileCase(string Name, IReadOnlyList<(string Key, string Value)> Header, string Body)
{
    public static string Root => Path.Combine(RepoRoot.Path, "tests/hostile");

    [GeneratedRegex("""\{\{repeat "((?:[^"\\]|\\.)*)" ([0-9]+)\}\}""")]
    private static partial Regex Repeat();

    [GeneratedRegex("""\{\{seq "([^"]*)" ([0-9]+)\}\}""")]
    private static partial Regex Seq();

    [GeneratedRegex("^# (expect|send|file|link|mkdir): (.*)$")]
    private static partial Regex HeaderLine();

    public static IEnumerable<string> Names(string folder, string extension) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*" + extension).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static HostileCase Load(string folder, string name)
    {
        var lines = File.ReadAllText(Path.Combine(Root, folder, name)).Split('\n');
        var header = new List<(string, string)>();
        var i = 0;
        for (; i < lines.Length && HeaderLine().Match(lines[i]) is { Success: true } m; i++)
            header.Add((m.Groups[1].Value, m.Groups[2].Value));
        var body = string.Join('\n', lines.Skip(i));
        return new HostileCase(name, header, Expand(body));
    }

    public string Expect => Header.Single(h => h.Key == "expect").Value;

    public string? Get(string key) => Header.Where(h => h.Key == key).Select(h => h.Value).FirstOrDefault();

    private static string Expand(string text) =>
        Seq().Replace(
            Repeat().Replace(text, m => new StringBuilder().Insert(0, Unescape(m.Groups[1].Value), int.Parse(m.Groups[2].Value)).ToString()),
            m => string.Join(", ", Enumerable.Range(0, int.Parse(m.Groups[2].Value)).Select(i => m.Groups[1].Value + i)));

    private static string Unescape(string text) => Regex.Replace(text, @"\\(.)", m => m.Groups[1].Value switch
    {
        "t" => "\t", "v" => "\v", "f" => "\f", "r" => "\r", "n" => "\n", var other => other,
    });

    public override string ToString() => Name;
}
