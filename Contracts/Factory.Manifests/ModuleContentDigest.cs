using System.Security.Cryptography;
using System.Text;

namespace Factory.Manifests;

/// <summary>
/// The digest of a module version's directory: sha256 over, for each file in ordinal order of its relative
/// path (with '/' separators), the line "&lt;path&gt;\0&lt;sha256 hex of its bytes&gt;\n". Symbolic links are refused (<see cref="ModuleFiles"/>).
/// </summary>
public static class ModuleContentDigest
{
    public static string Compute(string directory) =>
        Combine(ModuleFiles.List(directory).Select(file =>
        {
            using var stream = File.OpenRead(file.Full);
            return (file.Relative, SHA256.HashData(stream));
        }));

    /// <summary>The same digest over files already read: (path relative to the module directory with '/', bytes), in any order.</summary>
    public static string Compute(IEnumerable<(string Relative, byte[] Content)> files) =>
        Combine(files.OrderBy(f => f.Relative, StringComparer.Ordinal).Select(f => (f.Relative, SHA256.HashData(f.Content))));

    private static string Combine(IEnumerable<(string Relative, byte[] Hash)> files)
    {
        var canonical = new StringBuilder();
        foreach (var (relative, hash) in files)
            canonical.Append(relative).Append('\0').Append(Convert.ToHexStringLower(hash)).Append('\n');
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }
}
