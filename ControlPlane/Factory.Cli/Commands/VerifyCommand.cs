using System.CommandLine;
using Factory.Evidence.Verification;
using Factory.Evidence;
using Factory.Manifests;
using Factory.Records;
using Factory.Signing;

namespace Factory.Cli.Commands;

/// <summary>`factory verify KEY|BUILD_ID`: signatures checked against the keyring, every evidence object re-hashed; exit 1 naming any mismatch.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("KEY|BUILD_ID") { Description = "An idempotency key (its newest record) or a build id" };
        var state = CommonOptions.State();
        var keyringOption = new Option<string?>("--keyring")
        {
            Description = $"Trusted public keys: a directory of PEM files or one PEM file; default ${KeyringLocation.EnvironmentVariable}, else ~/.config/factory/keyring. Never the .pub beside the data",
        };
        var controlPlane = new Option<string?>("--control-plane") { Description = "Read the record from a fleet's control plane (URL) instead of the state directory" };
        var token = ControlPlaneToken.FileOption();
        var command = new Command("verify", "Verify a record's signatures and re-hash all its evidence") { id, state, keyringOption, controlPlane, token };
        command.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            var stateDirectory = parse.GetValue(state)!;
            using var keyring = Keyring.Load(parse.GetValue(keyringOption) ?? KeyringLocation.Default());
            var record = parse.GetValue(controlPlane) is { } url
                ? await FetchAsync(url, parse.GetValue(token), parse.GetValue(id)!, ct)
                : await RecordsCommands.FindAsync(stateDirectory, parse.GetValue(id)!, ct);
            using var stores = EvidenceCommands.Stores(stateDirectory);
            var checks = await new RecordVerifier(stores, keyring).VerifyAsync(record, ct);
            Console.WriteLine($"record {record.BuildId} ({record.ManifestId} {record.Platform}, {record.Status}), keyring {keyring.Source} ({keyring.Count} trusted keys)");
            foreach (var check in checks) Console.WriteLine($"{(check.Ok ? "ok  " : "FAIL")}  {check.What}: {check.Detail}");
            var failed = checks.Count(c => !c.Ok);
            Console.WriteLine(failed == 0 ? $"verified: {checks.Count} checks passed" : $"NOT verified: {failed} of {checks.Count} checks failed");
            return failed == 0 ? ExitCodes.Passed : ExitCodes.Failed;
        }));
        return command;
    }

    private static async Task<Factory.Contracts.Records.CompatibilityRecord> FetchAsync(string url, string? tokenFile, string keyOrBuildId, CancellationToken ct)
    {
        using var client = ControlPlaneClient.Connect(url, tokenFile);
        var json = await client.FindAsync($"api/records/{Uri.EscapeDataString(keyOrBuildId)}", ct)
            ?? throw new InvalidInputException("KEY|BUILD_ID", "", $"no record with build id or idempotency key {Names.Quote(keyOrBuildId)} at {url}");
        return System.Text.Json.JsonSerializer.Deserialize<Factory.Contracts.Records.CompatibilityRecord>(json.GetRawText(), Factory.Contracts.FactoryJson.Options)!;
    }
}
