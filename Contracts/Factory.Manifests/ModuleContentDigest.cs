using System.Security.Cryptography;
using System.Text;

namespace Factory.Manifests;

/// <summary>
/// The digest of a module version's directory: sha256 over, for each file in ordinal order of its relative
/// path (with '/' separators), the line "&lt;path&gt;\0&lt;sha256 hex of its bytes&gt;\n". Symbolic links are refused (<see cref="ModuleFiles"/>).
/// </summary>
public static class ModuleContentDigest
{
    public static string Compute(string directory)
    {
        var canonical = new StringBuilder();
        foreach (var (full, relative) in ModuleFiles.List(directory))
        {
            using var stream = File.OpenRead(full);
            canonical.Append(relative).Append('\0').Append(Convert.ToHexStringLower(SHA256.HashData(stream))).Append('\n');
        }
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }
}
