using System.Security.Cryptography;
using Factory.Contracts.Failures;

namespace Factory.Evidence;

/// <summary>A file to store as evidence, read as a stream: its address (sha256) and size, without holding its content.</summary>
public static class EvidenceFile
{
    public static async Task<(string Sha256, long Size)> DigestAsync(string path, CancellationToken ct)
    {
        try
        {
            await using var source = File.OpenRead(path);
            return (Convert.ToHexStringLower(await SHA256.HashDataAsync(source, ct)), source.Length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InfrastructureException("evidence store", $"reading {path} to store it: {ex.Message}");
        }
    }
}
