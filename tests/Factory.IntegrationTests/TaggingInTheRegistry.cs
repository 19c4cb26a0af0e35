using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Factory.Contracts.Failures;
using Factory.Executor;
using Factory.Executor.Registry;

namespace Factory.IntegrationTests;

/// <summary>RegistryTagger against the real registry: a pushed manifest gets a name in another repository, byte for byte.</summary>
public sealed class TaggingInTheRegistry : IDisposable
{
    private const string Registry = "127.0.0.1:5000";
    private const string ManifestV2 = "application/vnd.docker.distribution.manifest.v2+json";
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(1) };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_manifest_tagged_into_another_repository_has_the_same_digest_and_bytes_and_all_its_blobs_there()
    {
        var (digest, source) = await ManifestAsync("base/busybox", "1.35-amd64");
        var repository = $"factory-it/tagged-{Guid.NewGuid():N}"[..40];
        var tagger = new RegistryTagger(_http, new ExecutorOptions { Registry = Registry });

        await tagger.TagAsync("base/busybox", digest, repository, "t1", CancellationToken.None);

        var (taggedDigest, tagged) = await ManifestAsync(repository, "t1");
        Assert.Equal(digest, taggedDigest);
        Assert.Equal(source, tagged);
        using var manifest = JsonDocument.Parse(tagged);
        var blobs = manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!)
            .Prepend(manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!).ToList();
        foreach (var blob in blobs)
        {
            using var head = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"http://{Registry}/v2/{repository}/blobs/{blob}"));
            Assert.True(head.StatusCode == HttpStatusCode.OK, $"{blob} is not in {repository}: {head.StatusCode}");
        }

        // Tagging again (a cache tag refreshed by the next build) moves nothing and still answers the same digest.
        await tagger.TagAsync(repository, digest, repository, "t2", CancellationToken.None);
        Assert.Equal(digest, (await ManifestAsync(repository, "t2")).Digest);
    }

    [Fact]
    public async Task A_digest_the_registry_does_not_have_is_an_infrastructure_error_naming_the_registry()
    {
        var tagger = new RegistryTagger(_http, new ExecutorOptions { Registry = Registry });
        var missing = "sha256:" + new string('0', 64);

        var error = await Assert.ThrowsAsync<InfrastructureException>(() => tagger.TagAsync("base/busybox", missing, "factory-it/never", "t", CancellationToken.None));

        Assert.Equal($"registry {Registry}", error.Service);
        Assert.Contains($"GET of the manifest base/busybox@{missing} answered 404", error.Message);
    }

    [Fact]
    public async Task A_registry_that_is_not_there_is_an_infrastructure_error_naming_it()
    {
        var tagger = new RegistryTagger(_http, new ExecutorOptions { Registry = "127.0.0.1:1" });

        var error = await Assert.ThrowsAsync<InfrastructureException>(() => tagger.TagAsync("base/busybox", "sha256:" + new string('0', 64), "x/y", "t", CancellationToken.None));

        Assert.Equal("registry 127.0.0.1:1", error.Service);
        Assert.Contains("not reachable", error.Message);
    }

    private async Task<(string Digest, byte[] Body)> ManifestAsync(string repository, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{Registry}/v2/{repository}/manifests/{reference}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(ManifestV2));
        using var response = await _http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{repository}:{reference}: {response.StatusCode}");
        Assert.Equal(ManifestV2, response.Content.Headers.ContentType?.MediaType);
        return (response.Headers.GetValues("Docker-Content-Digest").Single(), await response.Content.ReadAsByteArrayAsync());
    }
}
