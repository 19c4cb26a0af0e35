using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Factory.Contracts.Failures;
using Factory.Manifests;

namespace Factory.Planning.Registry;

/// <summary>Talks the OCI distribution API (plain HTTP: registries here are on loopback).</summary>
public sealed class RegistryClient(HttpClient http) : IBaseImageResolver
{
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    public async Task<ResolvedImage> ResolveAsync(ImageReference reference, string platform, CancellationToken ct)
    {
        var registry = reference.Registry ?? throw new ArgumentException("reference needs a registry", nameof(reference));
        var (body, digest, mediaType) = await GetManifestAsync(registry, reference.Repository, reference.Digest ?? reference.Tag!, reference, ct);
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        if (mediaType.Contains("index", StringComparison.Ordinal) || mediaType.Contains("list", StringComparison.Ordinal) || root.TryGetProperty("manifests", out _))
        {
            var (os, arch) = SplitPlatform(platform);
            foreach (var m in root.GetProperty("manifests").EnumerateArray())
                if (m.TryGetProperty("platform", out var p) && p.GetProperty("os").GetString() == os && p.GetProperty("architecture").GetString() == arch)
                {
                    var child = m.GetProperty("digest").GetString()!;
                    return new ResolvedImage($"{registry}/{reference.Repository}@{child}", child);
                }
            throw new ImageNotFoundException($"image {reference} has no {platform} variant in the registry");
        }
        var configDigest = root.GetProperty("config").GetProperty("digest").GetString()!;
        var config = await GetAsync($"http://{registry}/v2/{reference.Repository}/blobs/{configDigest}", null, reference, ct);
        using var configDoc = JsonDocument.Parse(await config.Content.ReadAsByteArrayAsync(ct));
        var actual = $"{configDoc.RootElement.GetProperty("os").GetString()}/{configDoc.RootElement.GetProperty("architecture").GetString()}";
        if (actual != platform)
            throw new ImageNotFoundException($"image {reference} is {actual} only, not {platform}");
        return new ResolvedImage($"{registry}/{reference.Repository}@{digest}", digest);
    }

    /// <summary>True when the tag or digest exists in the registry.</summary>
    public async Task<bool> ExistsAsync(ImageReference reference, CancellationToken ct)
    {
        try
        {
            await GetManifestAsync(reference.Registry!, reference.Repository, reference.Digest ?? reference.Tag!, reference, ct);
            return true;
        }
        catch (ImageNotFoundException) { return false; }
    }

    private async Task<(byte[] Body, string Digest, string MediaType)> GetManifestAsync(string registry, string repository, string tagOrDigest, ImageReference reference, CancellationToken ct)
    {
        using var response = await GetAsync($"http://{registry}/v2/{repository}/manifests/{tagOrDigest}", ManifestTypes, reference, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.First() : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
        return (body, digest, response.Content.Headers.ContentType?.MediaType ?? "");
    }

    private async Task<HttpResponseMessage> GetAsync(string url, string[]? accept, ImageReference reference, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var type in accept ?? []) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new InfrastructureException($"registry {reference.Registry}", $"not reachable ({ex.Message}); start it with deploy/local/up.sh", ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new InfrastructureException($"registry {reference.Registry}", "timed out", ex);
        }
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            throw new ImageNotFoundException($"image {reference} does not exist in the registry");
        }
        if (!response.IsSuccessStatusCode)
        {
            var status = response.StatusCode;
            response.Dispose();
            throw new InfrastructureException($"registry {reference.Registry}", $"answered {(int)status} {status} for {url}");
        }
        return response;
    }

    private static (string Os, string Arch) SplitPlatform(string platform)
    {
        var parts = platform.Split('/');
        return (parts[0], parts[1]);
    }
}
