using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Factory.Web;

/// <summary>
/// The stylesheet and script, read once from the assembly. Pages link them with their content hash in the query,
/// so a browser keeps them until they change.
/// </summary>
public static class WebAssets
{
    private const string Prefix = "Factory.Web.Assets.";
    private static readonly Dictionary<string, Asset> Assets = Load();

    public static string Url(string name) => $"/ui/assets/{name}?v={Assets[name].Hash}";

    internal static void MapWebAssets(this IEndpointRouteBuilder app) =>
        app.MapGet("/ui/assets/{name}", (string name, HttpContext context) =>
        {
            if (!Assets.TryGetValue(name, out var asset)) return Results.NotFound();
            context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            context.Response.Headers.ETag = $"\"{asset.Hash}\"";
            return Results.Bytes(asset.Content, asset.ContentType);
        }).AllowAnonymous().ExcludeFromDescription(); // shipped CSS and script, no data: the sign-in page needs them

    private static Dictionary<string, Asset> Load()
    {
        var assembly = typeof(WebAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var name = resource[Prefix.Length..];
            var type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".png" => "image/png",
                _ => "application/octet-stream",
            };
            assets[name] = new Asset(content, type, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
        }
        return assets;
    }

    private sealed record Asset(byte[] Content, string ContentType, string Hash);
}
