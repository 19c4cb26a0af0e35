using System.Text;

namespace Factory.Executor.Sbom;

/// <summary>A package dpkg has installed, from one paragraph of /var/lib/dpkg/status.</summary>
public sealed record DpkgPackage(
    string Name, string Version, string Architecture, string? Source, string? SourceVersion,
    string? Maintainer, string? Description, string? Homepage);
