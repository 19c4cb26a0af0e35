using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Factory.Contracts.Failures;
using Factory.Contracts.Records;

namespace Factory.Evidence;

/// <summary>
/// The embedded default: &lt;state&gt;/evidence/sha256/&lt;first two hex&gt;/&lt;hex&gt;, addressed as local:sha256/&lt;hex&gt;.
/// A put of content already there only refreshes the file's time once it is older than <paramref name="refreshAfter"/>,
/// so retention never takes an object a new record is about to point to (see <see cref="RetentionOptions.MinAgeHours"/>).
/// </summary>
public sealed class FileSystemEvidenceStore(string stateDirectory, TimeSpan refreshAfter = default, TimeProvider? clock = null) : IEvidenceStore
{
    public const string Scheme = EvidenceAddress.LocalScheme;
    private readonly string _root = Path.Combine(Path.GetFullPath(stateDirectory), "evidence");
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public string Description => $"local evidence in {_root}";

    /// <summary>Null when a file can be created in the store's directory (it exists or can be made, is writable, the disk is not full).</summary>
    public Task<string?> ProbeAsync(CancellationToken ct)
    {
        try
        {
            Directory.CreateDirectory(_root);
            // Not under sha256/: retention and listing never see it, and it is gone when closed.
            using (new FileStream(Path.Combine(_root, $".ready-{Environment.ProcessId}"), FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            { }
            return Task.FromResult<string?>(null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult<string?>($"{Description}: {ex.Message}");
        }
    }

    public Task<EvidenceRef> PutAsync(string kind, string name, byte[] content, CancellationToken ct) =>
        StoreAsync(kind, name, Convert.ToHexStringLower(SHA256.HashData(content)), content.LongLength, (temp, _) =>
        {
            // Small, and already in memory: a plain write spares an asynchronous one's thread-pool hops. The temp name is
            // new, so the file is made as new (CreateNew). File.WriteAllBytes would also truncate it after opening, and
            // ext4 starts writing out a file truncated to nothing as soon as it is closed (auto_da_alloc): a flush per
            // object, paid by the writer.
            using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
            file.Write(content);
            return Task.CompletedTask;
        }, ct);

    public async Task<EvidenceRef> PutFileAsync(string kind, string name, string path, CancellationToken ct)
    {
        var (hex, size) = await EvidenceFile.DigestAsync(path, ct);
        return await StoreAsync(kind, name, hex, size, async (temp, token) =>
        {
            await using var source = File.OpenRead(path);
            await using var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await source.CopyToAsync(target, token);
        }, ct);
    }

    /// <summary>Writes the content (by <paramref name="write"/>, to a temp file renamed into place) unless it is there already.</summary>
    private async Task<EvidenceRef> StoreAsync(string kind, string name, string hex, long size, Func<string, CancellationToken, Task> write, CancellationToken ct)
    {
        var path = PathOf(hex);
        try
        {
            var existing = new FileInfo(path);
            if (!existing.Exists || existing.Length != size)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
                try
                {
                    await write(temp, ct);
                    File.Move(temp, path, overwrite: true);
                }
                catch
                {
                    // A full disk leaves a partial file: it would hold the space the retry needs.
                    TryDelete(temp);
                    throw;
                }
            }
            else if (refreshAfter > TimeSpan.Zero && existing.LastWriteTimeUtc < _clock.GetUtcNow().UtcDateTime - refreshAfter)
            {
                File.SetLastWriteTimeUtc(path, _clock.GetUtcNow().UtcDateTime);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InfrastructureException("evidence store", $"writing {path}: {ex.Message}");
        }
        return new EvidenceRef(kind, EvidenceAddress.Local(hex).Uri, hex, size, name);
    }

    public Task<Stream> OpenReadAsync(string uri, CancellationToken ct)
    {
        var path = PathOf(Address(uri).Sha256);
        try
        {
            return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new EvidenceNotFoundException(uri, Description);
        }
    }

    public async Task<byte[]> GetAsync(string uri, CancellationToken ct)
    {
        var address = Address(uri);
        byte[] content;
        try
        {
            content = await File.ReadAllBytesAsync(PathOf(address.Sha256), ct);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new EvidenceNotFoundException(uri, Description);
        }
        var actual = Convert.ToHexStringLower(SHA256.HashData(content));
        if (actual != address.Sha256)
            throw new InfrastructureException("evidence store", $"{uri}: the file {PathOf(address.Sha256)} has sha256 {actual}, not the one its address names (corrupt file)");
        return content;
    }

    public Task<EvidenceObject?> StatAsync(string uri, CancellationToken ct)
    {
        var address = Address(uri);
        var file = new FileInfo(PathOf(address.Sha256));
        return Task.FromResult(file.Exists ? ObjectOf(file, address.Sha256) : null);
    }

    public Task<bool> DeleteAsync(string uri, CancellationToken ct)
    {
        var path = PathOf(Address(uri).Sha256);
        if (!File.Exists(path)) return Task.FromResult(false);
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InfrastructureException("evidence store", $"removing {path}: {ex.Message}");
        }
        return Task.FromResult(true);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }

    public async IAsyncEnumerable<EvidenceObject> ListAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var root = Path.Combine(_root, "sha256");
        if (!Directory.Exists(root)) yield break;
        // A directory that cannot be read is skipped, not fatal: retention is best effort, and its objects are kept.
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var file in new DirectoryInfo(root).EnumerateFiles("*", options))
        {
            ct.ThrowIfCancellationRequested();
            var hex = file.Name;
            if (!EvidenceAddress.IsSha256(hex)) continue; // an interrupted write's temp file
            if (file.Exists) yield return ObjectOf(file, hex);
        }
        await Task.CompletedTask;
    }

    private static EvidenceObject ObjectOf(FileInfo file, string hex) =>
        new(EvidenceAddress.Local(hex).Uri, hex, file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));

    private static EvidenceAddress Address(string uri) =>
        EvidenceAddress.TryParse(uri, out var address) && address.IsLocal
            ? address
            : throw new ArgumentException($"not a local evidence URI: {uri}", nameof(uri));

    private string PathOf(string hex) => Path.Combine(_root, "sha256", hex[..2], hex);
}
