using System.Security.Cryptography;
using System.Text;

namespace Factory.Manifests;

/// <summary>
/// The digest of a module version's directory: sha256 over, for each file in ordinal order of its relative
/// path (with '/' separators), the line "&lt;path&gt;\0&lt;sha256 hex of its bytes&gt;\n". Symbolic links are refused.
/// </summary>
public static class ModuleContentDigest
{
    public static string Compute(string directory)
    {
        var files = System.IO.Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(directory, f).Replace('\\', '/')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal);
        var canonical = new StringBuilder();
        foreach (var (full, relative) in files)
        {
            if (new FileInfo(full).LinkTarget is not null)
                throw new InvalidDataException($"{relative} is a symbolic link: module files must be regular files");
            using var stream = File.OpenRead(full);
            canonical.Append(relative).Append('\0').Append(Convert.ToHexStringLower(SHA256.HashData(stream))).Append('\n');
        }
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }
}
