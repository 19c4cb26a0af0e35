using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Factory.Contracts.Failures;

namespace Factory.Executor.Registry;

/// <summary>
/// Tags through the distribution API (plain HTTP: registries here are on loopback): GET the manifest by digest, mount
/// each blob it names into the target repository (POST /v2/&lt;to&gt;/blobs/uploads/?mount=&amp;from=), then PUT the same
/// bytes under the tag. A registry that refuses to mount gets the blob copied instead. Every registry failure is an
/// InfrastructureException naming the registry.
/// </summary>
public sealed class RegistryTagger(HttpClient http, ExecutorOptions options) : IRegistryTagger
{
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    private string Service => $"registry {options.Registry}";
    private Uri Base => new($"http://{options.Registry}/v2/");

    public Task TagAsync(string fromRepository, string digest, string toRepository, string tag, CancellationToken ct) =>
        CopyManifestAsync(fromRepository, digest, toRepository, tag, ct);

    private async Task CopyManifestAsync(string from, string digest, string to, string reference, CancellationToken ct)
    {
        var (body, mediaType) = await GetManifestAsync(from, digest, ct);
        if (from != to)
        {
            using var manifest = JsonDocument.Parse(body);
            var root = manifest.RootElement;
            if (root.TryGetProperty("manifests", out var children))
                // An index: each platform's manifest must be in the repository before the index that names it.
                await Task.WhenAll(children.EnumerateArray().Select(c => c.GetProperty("digest").GetString()!).ToList()
                    .Select(child => CopyManifestAsync(from, child, to, child, ct)));
            else
                await Task.WhenAll(Blobs(root).Select(blob => MountAsync(from, to, blob, ct)));
        }
        using var put = new HttpRequestMessage(HttpMethod.Put, new Uri(Base, $"{to}/manifests/{reference}")) { Content = new ByteArrayContent(body) };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await SendAsync(put, ct);
        if (response.StatusCode != HttpStatusCode.Created)
            throw await FailureAsync(response, $"PUT of the manifest {digest} as {to}:{reference}");
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var values) && values.First() != digest)
            throw new InfrastructureException(Service, $"stored the manifest {digest} as {to}:{reference} under another digest, {values.First()}");
    }

    /// <summary>The config and every layer, except foreign layers (fetched from their own URLs, never in the registry).</summary>
    private static IEnumerable<string> Blobs(JsonElement manifest)
    {
        if (manifest.TryGetProperty("config", out var config)) yield return config.GetProperty("digest").GetString()!;
        if (!manifest.TryGetProperty("layers", out var layers)) yield break;
        foreach (var layer in layers.EnumerateArray())
            if (!layer.TryGetProperty("urls", out _)) yield return layer.GetProperty("digest").GetString()!;
    }

    private async Task<(byte[] Body, string MediaType)> GetManifestAsync(string repository, string digest, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Base, $"{repository}/manifests/{digest}"));
        foreach (var type in ManifestTypes) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        using var response = await SendAsync(request, ct);
        if (!response.IsSuccessStatusCode) throw await FailureAsync(response, $"GET of the manifest {repository}@{digest}");
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        if ("sha256:" + Convert.ToHexStringLower(SHA256.HashData(body)) != digest)
            throw new InfrastructureException(Service, $"answered GET {repository}@{digest} with a manifest of another digest");
        var mediaType = response.Content.Headers.ContentType?.MediaType
            ?? throw new InfrastructureException(Service, $"answered GET {repository}@{digest} without a media type");
        return (body, mediaType);
    }

    private async Task MountAsync(string from, string to, string blob, CancellationToken ct)
    {
        using var mount = new HttpRequestMessage(HttpMethod.Post, new Uri(Base, $"{to}/blobs/uploads/?mount={blob}&from={from}"));
        using var response = await SendAsync(mount, ct);
        if (response.StatusCode == HttpStatusCode.Created) return;
        if (response.StatusCode != HttpStatusCode.Accepted || response.Headers.Location is not { } upload)
            throw await FailureAsync(response, $"mount of {blob} from {from} into {to}");
        // 202: the registry opened an upload instead of mounting. Copy the blob through it.
        using var get = new HttpRequestMessage(HttpMethod.Get, new Uri(Base, $"{from}/blobs/{blob}"));
        using var source = await SendAsync(get, ct, HttpCompletionOption.ResponseHeadersRead);
        if (!source.IsSuccessStatusCode) throw await FailureAsync(source, $"GET of the blob {from}@{blob}");
        var target = new UriBuilder(upload.IsAbsoluteUri ? upload : new Uri(Base, upload));
        target.Query = (string.IsNullOrEmpty(target.Query) ? "" : target.Query.TrimStart('?') + "&") + "digest=" + Uri.EscapeDataString(blob);
        using var put = new HttpRequestMessage(HttpMethod.Put, target.Uri) { Content = new StreamContent(await source.Content.ReadAsStreamAsync(ct)) };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        put.Content.Headers.ContentLength = source.Content.Headers.ContentLength;
        using var stored = await SendAsync(put, ct);
        if (stored.StatusCode != HttpStatusCode.Created) throw await FailureAsync(stored, $"upload of {blob} into {to}");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        try
        {
            return await http.SendAsync(request, completion, ct);
        }
        // No inner exceptions: a dead letter's reason is the innermost message, and it must name the registry.
        catch (HttpRequestException ex)
        {
            throw new InfrastructureException(Service, $"not reachable for {request.Method} {request.RequestUri?.AbsolutePath} ({ex.Message}); start it with deploy/local/up.sh");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new InfrastructureException(Service, $"timed out on {request.Method} {request.RequestUri?.AbsolutePath}");
        }
    }

    private async Task<InfrastructureException> FailureAsync(HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        return new InfrastructureException(Service, $"{what} answered {(int)response.StatusCode} {response.StatusCode}: {(body.Length > 300 ? body[..300] : body).Trim()}");
    }
}
