using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Factory.Contracts.Messages;
using Factory.Manifests;

namespace Factory.Executor.Sbom;

/// <summary>
/// The CycloneDX 1.6 SBOM of a built image, from files read out of the image itself plus the work item: the
/// operating system (os-release), the packages dpkg or apk installed, and the Factory modules layered on.
/// Pure: the same files, item, image, timestamp and serial give the same bytes. Components are sorted by purl
/// (ordinal; the operating system, which has no purl, first) and every bom-ref is unique.
/// </summary>
public static partial class SbomGenerator
{
    /// <summary>The files to read from an image; any of them may be missing.</summary>
    public static readonly IReadOnlyList<string> ImagePaths = [.. OsRelease.Paths, DpkgStatusParser.Path, ApkInstalledParser.Path];

    public const string ToolName = "factory";
    public const string ModuleNamespace = "factory-module";

    [GeneratedRegex(@"^(?<name>[^<]*?)\s*<(?<email>[^<>\s]+)>\s*$")]
    private static partial Regex NameAndEmail();

    // Conservative on purpose: an address the schema's idn-email format might refuse is left out, not written.
    [GeneratedRegex(@"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")]
    private static partial Regex PlainEmail();

    [GeneratedRegex("^sha256:(?<hex>[a-f0-9]{64})$")]
    private static partial Regex Sha256Digest();

    public static GeneratedSbom Generate(WorkItem item, string image, IReadOnlyDictionary<string, byte[]> files, DateTimeOffset timestamp, Guid serial)
    {
        var os = OsRelease.From(files);
        var components = new List<CycloneDxComponent>();
        if (os is not null) components.Add(OperatingSystem(os));
        if (files.TryGetValue(DpkgStatusParser.Path, out var status))
            components.AddRange(DpkgStatusParser.Parse(Text(status)).Select(p => Deb(p, os)));
        if (files.TryGetValue(ApkInstalledParser.Path, out var installed))
            components.AddRange(ApkInstalledParser.Parse(Text(installed)).Select(p => Apk(p, os)));
        components.AddRange(item.Modules.Select(Module));

        var ordered = UniqueBomRefs(components
            .OrderBy(c => c.Purl ?? "", StringComparer.Ordinal)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .ThenBy(c => c.Version ?? "", StringComparer.Ordinal)
            .ThenBy(c => c.BomRef ?? "", StringComparer.Ordinal));

        var document = new CycloneDxDocument
        {
            SerialNumber = "urn:uuid:" + serial.ToString("D"),
            Metadata = new CycloneDxMetadata
            {
                Timestamp = timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                Lifecycles = [new CycloneDxLifecycle("post-build")],
                Tools = new CycloneDxTools([new CycloneDxComponent { Type = "application", Name = ToolName, Version = ToolVersion }]),
                Component = Image(item, image),
                Properties =
                [
                    new("factory:plan_id", item.PlanId),
                    new("factory:manifest_id", item.ManifestId),
                    new("factory:template", $"{item.TemplateId}@{item.TemplateVersion}"),
                    new("factory:platform", item.Platform),
                    new("factory:base_image", item.BaseImage),
                    new("factory:idempotency_key", item.IdempotencyKey),
                ],
            },
            Components = ordered,
        };
        return new GeneratedSbom(document, document.ToUtf8Json(), ordered.Count);
    }

    /// <summary>The Executor assembly's informational version, e.g. "1.0.0+&lt;commit&gt;".</summary>
    public static string ToolVersion { get; } =
        typeof(SbomGenerator).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>"linux/arm64/v8" → "arm64".</summary>
    public static string ArchitectureOf(string platform) => platform.Split('/') is [_, var arch, ..] ? arch : platform;

    /// <summary>The image as the SBOM's subject: type container, name = repository, version = manifest digest.</summary>
    private static CycloneDxComponent Image(WorkItem item, string image)
    {
        if (!ImageReference.TryParse(image, out var reference))
            return new CycloneDxComponent { Type = "container", BomRef = "image:" + image, Name = image };
        var repository = (reference.Registry is null ? "" : reference.Registry + "/") + reference.Repository;
        var tag = reference.Digest is null ? reference.Tag : null;
        var purl = PackageUrl.Create("oci", null, reference.Repository.Split('/')[^1].ToLowerInvariant(), reference.Digest, new Dictionary<string, string?>
        {
            ["arch"] = ArchitectureOf(item.Platform),
            ["repository_url"] = repository,
            ["tag"] = tag,
        });
        var hex = reference.Digest is null ? null : Sha256Digest().Match(reference.Digest) is { Success: true } m ? m.Groups["hex"].Value : null;
        return new CycloneDxComponent
        {
            Type = "container",
            BomRef = purl,
            Name = repository,
            Version = reference.Digest ?? tag,
            Hashes = hex is null ? null : [new CycloneDxHash("SHA-256", hex)],
            Purl = purl,
        };
    }

    private static CycloneDxComponent OperatingSystem(OsRelease os)
    {
        var references = new List<CycloneDxExternalReference>();
        if (os.HomeUrl is { } home) references.Add(new("website", home));
        if (os.SupportUrl is { } support) references.Add(new("support", support));
        if (os.BugReportUrl is { } bugs) references.Add(new("issue-tracker", bugs));
        var properties = new List<CycloneDxProperty>();
        if (os.VersionCodename is { } codename) properties.Add(new("factory:os:version_codename", codename));
        if (os.IdLike.Count > 0) properties.Add(new("factory:os:id_like", string.Join(' ', os.IdLike)));
        return new CycloneDxComponent
        {
            Type = "operating-system",
            BomRef = $"os:{os.Id}@{os.VersionId ?? os.VersionCodename ?? "unknown"}",
            Name = os.Id,
            Version = os.VersionId ?? os.VersionCodename,
            Description = os.PrettyName ?? os.Name,
            ExternalReferences = NullIfEmpty(references),
            Properties = NullIfEmpty(properties),
        };
    }

    /// <summary>pkg:deb/&lt;os id&gt;/&lt;name&gt;@&lt;version&gt;?arch=&lt;arch&gt;&amp;distro=&lt;os id&gt;-&lt;VERSION_ID&gt;.</summary>
    private static CycloneDxComponent Deb(DpkgPackage package, OsRelease? os)
    {
        var vendor = Vendor(os, "debian");
        var distro = os?.VersionId ?? os?.VersionCodename;
        var purl = PackageUrl.Create("deb", vendor, package.Name.ToLowerInvariant(), package.Version, new Dictionary<string, string?>
        {
            ["arch"] = package.Architecture,
            ["distro"] = distro is null ? null : $"{vendor}-{distro}",
        });
        var properties = new List<CycloneDxProperty>();
        if (package.Source is { } source) properties.Add(new("factory:deb:source", source));
        if (package.SourceVersion is { } sourceVersion) properties.Add(new("factory:deb:source_version", sourceVersion));
        return new CycloneDxComponent
        {
            Type = "library",
            BomRef = purl,
            Supplier = Supplier(package.Maintainer),
            Name = package.Name,
            Version = package.Version,
            Description = package.Description,
            Purl = purl,
            ExternalReferences = package.Homepage is { } home ? [new("website", home)] : null,
            Properties = NullIfEmpty(properties),
        };
    }

    /// <summary>pkg:apk/&lt;os id&gt;/&lt;name&gt;@&lt;version&gt;?arch=&lt;arch&gt;.</summary>
    private static CycloneDxComponent Apk(ApkPackage package, OsRelease? os)
    {
        var purl = PackageUrl.Create("apk", Vendor(os, "alpine"), package.Name.ToLowerInvariant(), package.Version,
            new Dictionary<string, string?> { ["arch"] = package.Architecture });
        return new CycloneDxComponent
        {
            Type = "library",
            BomRef = purl,
            Supplier = Supplier(package.Maintainer),
            Name = package.Name,
            Version = package.Version,
            Description = package.Description,
            Licenses = package.License is { } license ? [new CycloneDxLicenseChoice(new CycloneDxLicense(license))] : null,
            Purl = purl,
            ExternalReferences = package.Url is { } url ? [new("website", url)] : null,
            Properties = package.Origin is { } origin ? [new("factory:apk:origin", origin)] : null,
        };
    }

    /// <summary>
    /// A Factory module as a "library": a versioned, reusable unit owned by a team and layered into many images
    /// (CycloneDX: "all third-party … reusable components will likely be a library"). It is not an application
    /// or framework of its own, and it is more than one file; what it installs is listed separately.
    /// </summary>
    private static CycloneDxComponent Module(ModuleSelection module)
    {
        var purl = PackageUrl.Create("generic", ModuleNamespace, module.Name, module.Version);
        var hex = Sha256Digest().Match(module.ContentDigest) is { Success: true } m ? m.Groups["hex"].Value : null;
        return new CycloneDxComponent
        {
            Type = "library",
            BomRef = purl,
            Supplier = module.Owner is { } owner
                ? new CycloneDxOrganization { Name = owner.Team, Contact = [new CycloneDxContact { Name = owner.Handle }] }
                : null,
            Group = ModuleNamespace,
            Name = module.Name,
            Version = module.Version,
            Hashes = hex is null ? null : [new CycloneDxHash("SHA-256", hex)],
            Purl = purl,
            Properties =
            [
                new("factory:module:slot", module.Slot),
                new("factory:module:content_digest", module.ContentDigest),
            ],
        };
    }

    /// <summary>The purl namespace for OS packages: the os-release ID (debian, ubuntu, alpine, wolfi, …).</summary>
    private static string Vendor(OsRelease? os, string fallback) =>
        os?.Get("ID") is { } id && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') ? id.ToLowerInvariant() : fallback;

    /// <summary>A package's maintainer ("Name &lt;address&gt;") as the supplier that delivered it to the image.</summary>
    internal static CycloneDxOrganization? Supplier(string? maintainer)
    {
        if (string.IsNullOrWhiteSpace(maintainer)) return null;
        var match = NameAndEmail().Match(maintainer.Trim());
        if (!match.Success) return new CycloneDxOrganization { Name = maintainer.Trim() };
        var name = match.Groups["name"].Value.Trim().Trim('"');
        var email = match.Groups["email"].Value;
        var valid = PlainEmail().IsMatch(email);
        return new CycloneDxOrganization
        {
            Name = name.Length > 0 ? name : valid ? email : maintainer.Trim(),
            Contact = valid ? [new CycloneDxContact { Name = name.Length > 0 ? name : null, Email = email }] : null,
        };
    }

    /// <summary>bom-refs must be unique in a BOM: a repeated one (the same purl twice) gets "#2", "#3", ….</summary>
    private static List<CycloneDxComponent> UniqueBomRefs(IEnumerable<CycloneDxComponent> components)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<CycloneDxComponent>();
        foreach (var component in components)
        {
            var bomRef = component.BomRef ?? component.Purl ?? component.Name;
            if (seen.TryGetValue(bomRef, out var count))
            {
                seen[bomRef] = ++count;
                result.Add(component with { BomRef = $"{bomRef}#{count}" });
            }
            else
            {
                seen[bomRef] = 1;
                result.Add(component with { BomRef = bomRef });
            }
        }
        return result;
    }

    private static List<T>? NullIfEmpty<T>(List<T> list) => list.Count == 0 ? null : list;

    private static string Text(byte[] content) => Encoding.UTF8.GetString(content);
}
