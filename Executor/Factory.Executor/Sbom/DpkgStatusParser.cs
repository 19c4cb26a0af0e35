using System.Text;

namespace Factory.Executor.Sbom;

/// <summary>
/// Reads dpkg's status database (deb822: paragraphs separated by blank lines, "Field: value", continuation lines
/// start with a space or tab). Only packages whose files are on disk count: the Status field's flag is "ok" and
/// its state is "installed", whatever the selection (install, hold, deinstall: a held or a to-be-removed package
/// is still installed). Not-installed, config-files, half-installed and half-configured packages are left out.
/// </summary>
public static class DpkgStatusParser
{
    public const string Path = "/var/lib/dpkg/status";

    public static IReadOnlyList<DpkgPackage> Parse(string text)
    {
        var packages = new List<DpkgPackage>();
        foreach (var paragraph in Deb822.Paragraphs(text))
        {
            if (!IsInstalled(paragraph.GetValueOrDefault("Status"))) continue;
            if (paragraph.GetValueOrDefault("Package") is not { Length: > 0 } name ||
                paragraph.GetValueOrDefault("Version") is not { Length: > 0 } version) continue;
            var (source, sourceVersion) = SourceOf(paragraph.GetValueOrDefault("Source"));
            packages.Add(new DpkgPackage(
                name, version, paragraph.GetValueOrDefault("Architecture") is { Length: > 0 } arch ? arch : "all",
                source, sourceVersion,
                Blank(paragraph.GetValueOrDefault("Maintainer")),
                Blank(FirstLine(paragraph.GetValueOrDefault("Description"))),
                Blank(paragraph.GetValueOrDefault("Homepage"))));
        }
        return packages;
    }

    /// <summary>"want flag state", e.g. "install ok installed".</summary>
    public static bool IsInstalled(string? status) =>
        status?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, "ok", "installed"];

    /// <summary>"Source: name" or "Source: name (version)" when the source version differs from the binary's.</summary>
    private static (string? Name, string? Version) SourceOf(string? field)
    {
        if (string.IsNullOrWhiteSpace(field)) return (null, null);
        var open = field.IndexOf('(');
        if (open < 0) return (field.Trim(), null);
        var close = field.IndexOf(')', open);
        var version = field[(open + 1)..(close < 0 ? field.Length : close)].Trim();
        return (field[..open].Trim(), version.Length == 0 ? null : version);
    }

    private static string? FirstLine(string? value) => value?.Split('\n', 2)[0];

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
