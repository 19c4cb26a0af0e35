namespace Factory.Executor.Sbom;

/// <summary>
/// Reads apk's installed database: records separated by blank lines, one "K:value" line per field (P name,
/// V version, A architecture, o origin, m maintainer, L license, T description, U url; F/R/M/Z file lines are
/// skipped). Every record in the database is an installed package.
/// </summary>
public static class ApkInstalledParser
{
    public const string Path = "/lib/apk/db/installed";

    public static IReadOnlyList<ApkPackage> Parse(string text)
    {
        var packages = new List<ApkPackage>();
        var fields = new Dictionary<char, string>();

        void Flush()
        {
            if (fields.TryGetValue('P', out var name) && name.Length > 0 && fields.TryGetValue('V', out var version) && version.Length > 0)
                packages.Add(new ApkPackage(name, version, Get('A') ?? "noarch", Get('o'), Get('m'), Get('L'), Get('T'), Get('U')));
            fields.Clear();
        }

        string? Get(char key) => fields.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                Flush();
                continue;
            }
            if (line.Length < 2 || line[1] != ':') continue;
            // The first occurrence wins: a record's package fields come before its file lines.
            fields.TryAdd(line[0], line[2..].Trim());
        }
        Flush();
        return packages;
    }
}
