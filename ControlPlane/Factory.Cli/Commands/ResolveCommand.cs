using System.CommandLine;
using System.Text.Json;
using Factory.Planning;
using Factory.Planning.Registry;
using Factory.ControlPlane.Review;
using Factory.Contracts;
using Factory.Manifests;
using Factory.Records;

namespace Factory.Cli.Commands;

/// <summary>
/// `factory resolve --manifest ID --platform P [--modules slot=version,…] [--json]`: prints the passing image's digest
/// (exit 0), or the reason nothing passes on stderr (exit 1): a gate for scripts. On the state directory, or on a
/// fleet with --control-plane URL.
/// </summary>
internal static class ResolveCommand
{
    public static Command Create()
    {
        var manifest = new Option<string>("--manifest") { Description = "The manifest id", Required = true };
        var platform = new Option<string>("--platform") { Description = "The platform, e.g. linux/amd64", Required = true };
        var modules = new Option<string?>("--modules") { Description = "Module versions other than the manifest's: slot=version,slot=version" };
        var controlPlane = new Option<string?>("--control-plane") { Description = "Ask a fleet's control plane (URL) instead of the state directory" };
        var store = CommonOptions.ManifestStore();
        var state = CommonOptions.State();
        var json = CommonOptions.Json();
        var token = ControlPlaneToken.FileOption();
        var command = new Command("resolve", "Print the digest of the image that passes for a manifest on a platform; exit 1 with the reason when none does")
            { manifest, platform, modules, controlPlane, token, store, state, json };
        command.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            var choice = ModuleChoice.Parse(parse.GetValue(modules), "--modules");
            var (passed, answer) = parse.GetValue(controlPlane) is { } url
                ? await RemoteAsync(url, parse.GetValue(token), parse.GetValue(manifest)!, parse.GetValue(platform)!, parse.GetValue(modules), ct)
                : await LocalAsync(parse.GetValue(store)!, parse.GetValue(state)!, parse.GetValue(manifest)!, parse.GetValue(platform)!, choice, ct);
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(answer, FactoryJson.Options));
            if (!passed)
            {
                await Console.Error.WriteLineAsync($"nothing passes: {Text(answer, "reason")}: {Text(answer, "detail")}");
                return ExitCodes.Failed;
            }
            if (!parse.GetValue(json)) Console.WriteLine(Text(answer, "digest"));
            return ExitCodes.Passed;
        }));
        return command;
    }

    private static async Task<(bool, JsonElement)> LocalAsync(string storeDirectory, string stateDirectory, string manifest, string platform,
        IReadOnlyDictionary<string, string> modules, CancellationToken ct)
    {
        var store = ManifestStoreLoader.Load(storeDirectory);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var preparer = new PlanPreparer(new RegistryClient(http), PoolCatalog.Default, new RegistryOptions { Address = CommonOptions.Registry });
        var resolver = new CellResolver(preparer, new SqliteCompatibilityRecordStore(stateDirectory), PoolCatalog.Default, TimeProvider.System);
        var answer = await resolver.ResolveAsync(store, manifest, platform, modules, ct);
        return (answer.Passed, JsonSerializer.SerializeToElement(answer, FactoryJson.Options));
    }

    private static async Task<(bool, JsonElement)> RemoteAsync(string url, string? tokenFile, string manifest, string platform, string? modules, CancellationToken ct)
    {
        using var client = ControlPlaneClient.Connect(url, tokenFile);
        var query = $"api/resolve?manifest={Uri.EscapeDataString(manifest)}&platform={Uri.EscapeDataString(platform)}"
                    + (modules is null ? "" : $"&modules={Uri.EscapeDataString(modules)}");
        return await client.GetOrProblemAsync(query, ct);
    }

    private static string? Text(JsonElement answer, string name) =>
        answer.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
