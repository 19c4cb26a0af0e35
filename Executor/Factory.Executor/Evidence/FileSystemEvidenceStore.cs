using System.Security.Cryptography;
using Factory.Contracts.Records;

namespace Factory.Executor.Evidence;

/// <summary>The embedded default: &lt;state&gt;/evidence/sha256/&lt;first two hex&gt;/&lt;hex&gt;, addressed as local:sha256/&lt;hex&gt;.</summary>
public sealed class FileSystemEvidenceStore(string stateDirectory) : IEvidenceStore
{
    public const string Scheme = "local:";
    private readonly string _root = Path.Combine(Path.GetFullPath(stateDirectory), "evidence");

    public async Task<EvidenceRef> PutAsync(string kind, string name, byte[] content, CancellationToken ct)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(content));
        var path = PathOf(hex);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
            await File.WriteAllBytesAsync(temp, content, ct);
            File.Move(temp, path, overwrite: true);
        }
        return new EvidenceRef(kind, $"{Scheme}sha256/{hex}", hex, content.LongLength, name);
    }

    public Task<byte[]> GetAsync(string uri, CancellationToken ct)
    {
        if (!uri.StartsWith(Scheme + "sha256/", StringComparison.Ordinal))
            throw new ArgumentException($"not a local evidence URI: {uri}", nameof(uri));
        return File.ReadAllBytesAsync(PathOf(uri[(Scheme.Length + "sha256/".Length)..]), ct);
    }

    private string PathOf(string hex) => Path.Combine(_root, "sha256", hex[..2], hex);
}
