using Factory.Executor.Sbom;

namespace Factory.UnitTests;

public sealed class SbomParserTests
{
    [Fact]
    public void Dpkg_status_lists_only_installed_packages_with_their_fields()
    {
        var packages = DpkgStatusParser.Parse(SbomSamples.DpkgStatus);

        Assert.Equal(["base-files", "libc6", "libc6", "libpython3.11-stdlib", "python3-numpy", "zlib1g"], packages.Select(p => p.Name));
        var numpy = packages.Single(p => p.Name == "python3-numpy");
        Assert.Equal("1:1.24.2-1+deb12u1", numpy.Version);
        Assert.Equal("amd64", numpy.Architecture);
        Assert.Equal("numpy", numpy.Source);
        Assert.Null(numpy.SourceVersion);
        Assert.Equal("Debian Python Team <team+python@tracker.debian.org>", numpy.Maintainer);
        Assert.Equal("Fast array facility to the Python 3 language", numpy.Description);
        Assert.Equal("https://www.numpy.org/", numpy.Homepage);
        var stdlib = packages.Single(p => p.Name == "libpython3.11-stdlib");
        Assert.Equal(("python3.11", "3.11.2-6"), (stdlib.Source, stdlib.SourceVersion));
        Assert.Null(packages.Single(p => p.Name == "base-files").Source);
    }

    [Fact]
    public void Dpkg_continuation_lines_belong_to_their_field_and_do_not_start_fields()
    {
        // "Conffiles" and "Description" continue over lines that look like fields (" Package: fake").
        var zlib = DpkgStatusParser.Parse(SbomSamples.DpkgStatus).Single(p => p.Name == "zlib1g");

        Assert.Equal("1:1.2.13.dfsg-1", zlib.Version);
        Assert.Equal("compression library - runtime", zlib.Description);
        Assert.DoesNotContain(DpkgStatusParser.Parse(SbomSamples.DpkgStatus), p => p.Name == "fake");
    }

    [Theory]
    [InlineData("install ok installed", true)]
    [InlineData("hold ok installed", true)]
    [InlineData("deinstall ok installed", true)]
    [InlineData("install  ok  installed", true)]
    [InlineData("deinstall ok config-files", false)]
    [InlineData("purge ok not-installed", false)]
    [InlineData("unknown ok not-installed", false)]
    [InlineData("install ok half-installed", false)]
    [InlineData("install ok unpacked", false)]
    [InlineData("install ok half-configured", false)]
    [InlineData("install reinstreq installed", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Dpkg_counts_a_package_when_its_files_are_installed(string? status, bool installed) =>
        Assert.Equal(installed, DpkgStatusParser.IsInstalled(status));

    [Fact]
    public void Dpkg_status_with_crlf_lines_and_no_trailing_blank_line_parses()
    {
        var text = "Package: a\r\nStatus: install ok installed\r\nVersion: 1.0\r\nArchitecture: all\r\n\r\nPackage: b\r\nStatus: install ok installed\r\nVersion: 2.0\r\nArchitecture: arm64";

        Assert.Equal([("a", "1.0", "all"), ("b", "2.0", "arm64")], DpkgStatusParser.Parse(text).Select(p => (p.Name, p.Version, p.Architecture)));
    }

    [Fact]
    public void Dpkg_paragraph_without_a_version_is_skipped() =>
        Assert.Empty(DpkgStatusParser.Parse("Package: ghost\nStatus: install ok installed\nArchitecture: amd64\n"));

    [Fact]
    public void Apk_database_lists_each_record_with_its_fields()
    {
        var packages = ApkInstalledParser.Parse(SbomSamples.ApkInstalled);

        Assert.Equal(["musl", "busybox", "ca-certificates-bundle"], packages.Select(p => p.Name));
        var busybox = packages[1];
        Assert.Equal(("1.36.1-r15", "x86_64", "busybox"), (busybox.Version, busybox.Architecture, busybox.Origin));
        Assert.Equal("Sören Tempel <soeren+alpine@soeren-tempel.net>", busybox.Maintainer);
        Assert.Equal("GPL-2.0-only", busybox.License);
        Assert.Equal("Size optimized toolbox of many common UNIX utilities", busybox.Description);
        Assert.Equal("https://busybox.net/", busybox.Url);
        Assert.Equal("MPL-2.0 AND MIT", packages[2].License);
    }

    [Fact]
    public void Apk_file_lines_do_not_override_package_fields()
    {
        // R: and F: lines repeat; a later "a:" or "M:" must not replace anything read before.
        var musl = ApkInstalledParser.Parse(SbomSamples.ApkInstalled)[0];

        Assert.Equal(("musl", "1.2.4_git20230717-r4"), (musl.Name, musl.Version));
    }

    [Fact]
    public void Os_release_values_may_be_bare_double_or_single_quoted_with_escapes()
    {
        var os = OsRelease.Parse("""
            # a comment
            PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
            NAME='Debian GNU/Linux'
            VERSION_ID="12"
            ID=debian
            ID_LIKE="ubuntu debian"

            HOME_URL="https://www.debian.org/"
            QUOTED="say \"hi\" for \$5 \\ back\`tick\` \n"
            SINGLE='no \"escapes\" here'
            TRAILING=bare # comment
            MIXED="a b"'c d'e
            EMPTY=
            not a line
            """);

        Assert.Equal("debian", os.Id);
        Assert.Equal("12", os.VersionId);
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", os.PrettyName);
        Assert.Equal("Debian GNU/Linux", os.Name);
        Assert.Equal(["ubuntu", "debian"], os.IdLike);
        Assert.Equal("https://www.debian.org/", os.HomeUrl);
        Assert.Equal("say \"hi\" for $5 \\ back`tick` \\n", os.Get("QUOTED"));
        Assert.Equal("no \\\"escapes\\\" here", os.Get("SINGLE"));
        Assert.Equal("bare", os.Get("TRAILING"));
        Assert.Equal("a bc de", os.Get("MIXED"));
        Assert.Null(os.Get("EMPTY"));
        Assert.Null(os.VersionCodename);
    }

    [Fact]
    public void Os_release_without_an_id_is_linux() => Assert.Equal("linux", OsRelease.Parse("NAME=Something\n").Id);

    [Fact]
    public void Etc_os_release_wins_over_usr_lib_os_release()
    {
        var files = new Dictionary<string, byte[]>
        {
            ["/usr/lib/os-release"] = "ID=debian\nVERSION_ID=12\n"u8.ToArray(),
            ["/etc/os-release"] = "ID=alpine\nVERSION_ID=3.19.1\n"u8.ToArray(),
        };

        Assert.Equal("alpine", OsRelease.From(files)!.Id);
        files.Remove("/etc/os-release");
        Assert.Equal("debian", OsRelease.From(files)!.Id);
        Assert.Null(OsRelease.From(new Dictionary<string, byte[]>()));
    }
}
