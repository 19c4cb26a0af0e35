namespace Factory.Executor.Sbom;

/// <summary>A package apk has installed, from one record of /lib/apk/db/installed.</summary>
public sealed record ApkPackage(
    string Name, string Version, string Architecture, string? Origin, string? Maintainer, string? License,
    string? Description, string? Url);
