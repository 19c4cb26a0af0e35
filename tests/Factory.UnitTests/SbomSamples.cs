using System.Text;
using System.Text.Json;
using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Executor.Sbom;

namespace Factory.UnitTests;

/// <summary>Package databases, os-release files and a work item as an image would give them.</summary>
internal static class SbomSamples
{
    public const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    public const string Image = "127.0.0.1:5000/factory/llm_factory@" + Digest;

    public static WorkItem Item() => new()
    {
        IdempotencyKey = new string('k', 64),
        PlanId = "llm_factory",
        ManifestId = "llm_factory",
        TemplateId = "llm",
        TemplateVersion = "1.0.0",
        BaseImage = "127.0.0.1:5000/base/debian@sha256:" + new string('b', 64),
        BaseDigest = "sha256:" + new string('b', 64),
        Platform = "linux/amd64",
        Pool = "amd64",
        Modules =
        [
            new ModuleSelection { Slot = "python", Name = "python", Version = "1.0.0", ContentDigest = "sha256:" + new string('a', 64), Owner = new ModuleOwner("@ml-platform", "ml") },
            new ModuleSelection { Slot = "numerics", Name = "numerics", Version = "1.1.0", ContentDigest = "sha256:" + new string('c', 64), Owner = new ModuleOwner("@ml-platform", "ml") },
        ],
        TestSuiteId = "llm",
        TestSuiteHash = "suite",
        Tests = [],
    };

    public const string DebianOsRelease = """
        PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
        NAME="Debian GNU/Linux"
        VERSION_ID="12"
        VERSION="12 (bookworm)"
        VERSION_CODENAME=bookworm
        ID=debian
        HOME_URL="https://www.debian.org/"
        SUPPORT_URL="https://www.debian.org/support"
        BUG_REPORT_URL="https://bugs.debian.org/"

        """;

    public const string AlpineOsRelease = """
        NAME="Alpine Linux"
        ID=alpine
        VERSION_ID=3.19.1
        PRETTY_NAME="Alpine Linux v3.19"
        HOME_URL="https://alpinelinux.org/"
        BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"

        """;

    public const string DpkgStatus = """
        Package: base-files
        Essential: yes
        Status: install ok installed
        Priority: required
        Section: admin
        Installed-Size: 341
        Maintainer: Santiago Vila <sanvila@debian.org>
        Architecture: amd64
        Multi-Arch: foreign
        Version: 12.4+deb12u5
        Replaces: base, dpkg (<= 1.15.0), miscutils
        Provides: base
        Conffiles:
         /etc/debian_version 8a4ffa1a4bd1b4a4b5cd5b3e5f6c1e5a
         /etc/host.conf 4eb63731c9f5e30903ac4fc07a7fe3d6
        Description: Debian base system miscellaneous files
         This package contains the basic filesystem hierarchy of a Debian system, and
         several important miscellaneous files, such as /etc/debian_version,
         /etc/host.conf, /etc/issue, /etc/motd, /etc/profile, and others,
         and the text of several common licenses in use on Debian systems.

        Package: libc6
        Status: install ok installed
        Priority: optional
        Section: libs
        Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
        Architecture: amd64
        Multi-Arch: same
        Source: glibc
        Version: 2.36-9+deb12u4
        Description: GNU C Library: Shared libraries
        Homepage: https://www.gnu.org/software/libc/libc.html

        Package: old-tool
        Status: deinstall ok config-files
        Priority: optional
        Architecture: amd64
        Version: 0.9-1
        Conffiles:
         /etc/old-tool.conf 0123456789abcdef0123456789abcdef
        Description: removed, its configuration kept

        Package: libc6
        Status: install ok installed
        Priority: optional
        Section: libs
        Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
        Architecture: i386
        Multi-Arch: same
        Source: glibc
        Version: 2.36-9+deb12u4
        Description: GNU C Library: Shared libraries

        Package: purged-thing
        Status: purge ok not-installed
        Priority: optional
        Architecture: amd64

        Package: libpython3.11-stdlib
        Status: install ok installed
        Priority: optional
        Section: python
        Maintainer: Matthias Klose <doko@debian.org>
        Architecture: amd64
        Multi-Arch: same
        Source: python3.11 (3.11.2-6)
        Version: 3.11.2-6+deb12u1
        Description: Interactive high-level object-oriented language (standard library, version 3.11)

        Package: broken-upgrade
        Status: install ok half-installed
        Architecture: amd64
        Version: 2.0-1
        Description: half installed

        Package: python3-numpy
        Status: install ok installed
        Priority: optional
        Section: python
        Maintainer: Debian Python Team <team+python@tracker.debian.org>
        Architecture: amd64
        Source: numpy
        Version: 1:1.24.2-1+deb12u1
        Provides: python3-f2py, python3-numpy-abi9
        Depends: python3 (<< 3.12), python3 (>= 3.11~), python3:any, libc6 (>= 2.35)
        Description: Fast array facility to the Python 3 language
         Numpy contains a powerful N-dimensional array object, sophisticated
         (broadcasting) functions, tools for integrating C/C++ and Fortran
         code, and useful linear algebra, Fourier transform, and random number
         capabilities.
        Homepage: https://www.numpy.org/

        Package: zlib1g
        Status: install ok installed
        Priority: optional
        Section: libs
        Maintainer: Mark Brown <broonie@debian.org>
        Architecture: amd64
        Multi-Arch: same
        Source: zlib
        Version: 1:1.2.13.dfsg-1
        Provides: libz1
        Depends: libc6 (>= 2.14)
        Description: compression library - runtime
         zlib is a library implementing the deflate compression method found
         .
         Package: fake
         Version: 0
         in gzip and PKZIP.
        Homepage: http://zlib.net/
        """;

    public const string ApkInstalled = """
        C:Q1SE+Q3rDyVX8Lz2W3c3cA4O0qPUo=
        P:musl
        V:1.2.4_git20230717-r4
        A:x86_64
        S:407278
        I:663552
        T:the musl c library (libc) implementation
        U:https://musl.libc.org/
        L:MIT
        o:musl
        m:Timo Teräs <timo.teras@iki.fi>
        t:1707150223
        c:3a9a8b8b3c2a7e8f1f9f1cba31d3b3c5d2e8e4a2
        p:so:libc.musl-x86_64.so.1=1
        F:lib
        R:ld-musl-x86_64.so.1
        a:0:0:755
        Z:Q1ZzHmkX7MBu9mFaW2MybZGdpUmZ8=
        R:libc.musl-x86_64.so.1
        a:0:0:777
        Z:Q1ZKvRdpdIbD6Di4sVKyVDZ1kWuiE=

        C:Q1zm9lDM3s5wzbFyYSHzOqbWFw2Nc=
        P:busybox
        V:1.36.1-r15
        A:x86_64
        S:511024
        I:950272
        T:Size optimized toolbox of many common UNIX utilities
        U:https://busybox.net/
        L:GPL-2.0-only
        o:busybox
        m:Sören Tempel <soeren+alpine@soeren-tempel.net>
        t:1707147262
        D:so:libc.musl-x86_64.so.1
        F:bin
        R:busybox
        a:0:0:755
        Z:Q1mAyYzDcE/8VVmmO9sKHFVXRmsTA=
        M:0:0:755

        C:Q1YmRMhQbA8BNFbaHtFtUYgWRyUQQ=
        P:ca-certificates-bundle
        V:20240226-r0
        A:x86_64
        T:Pre generated bundle of Mozilla certificates
        U:https://www.mozilla.org/en-US/about/governance/policies/security-group/certs/
        L:MPL-2.0 AND MIT
        o:ca-certificates
        m:Natanael Copa <ncopa@alpinelinux.org>

        """;

    public static string DpkgParagraph(string name, string version) =>
        $"Package: {name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: {version}\nMaintainer: Someone <someone@example.org>\n";

    public static Dictionary<string, byte[]> DebianFiles() => new()
    {
        ["/usr/lib/os-release"] = Encoding.UTF8.GetBytes(DebianOsRelease),
        [DpkgStatusParser.Path] = Encoding.UTF8.GetBytes(DpkgStatus),
    };

    public static Dictionary<string, byte[]> AlpineFiles() => new()
    {
        ["/etc/os-release"] = Encoding.UTF8.GetBytes(AlpineOsRelease),
        [ApkInstalledParser.Path] = Encoding.UTF8.GetBytes(ApkInstalled),
    };
}
