using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Factory.Contracts.Failures;
using Factory.Manifests;

namespace Factory.ControlPlane.Registry;

/// <summary>Resolves an image reference to the digest of its manifest for one platform.</summary>
public interface IBaseImageResolver
{
    Task<ResolvedImage> ResolveAsync(ImageReference reference, string platform, CancellationToken ct);
}
