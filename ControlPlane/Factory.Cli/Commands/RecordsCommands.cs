using System.CommandLine;
using System.Text.Json;
using Factory.Contracts;
using Factory.Contracts.Records;
using Factory.Manifests;
using Factory.Records;

namespace Factory.Cli.Commands;

internal static class RecordsCommands
{
    public static Command Create()
    {
        var state = CommonOptions.State();
        var json = CommonOptions.Json();
        var manifest = new Option<string?>("--manifest") { Description = "Only records of this manifest id" };
        var status = new Option<string?>("--status") { Description = "Only records with this status (passed | failed)" };
        var list = new Command("list", "List compatibility records, newest first") { manifest, status, state, json };
        list.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            var wanted = parse.GetValue(status);
            if (wanted is not null and not (RecordStatus.Passed or RecordStatus.Failed))
                throw new InvalidInputException("--status", "", $"expected passed or failed, found {Names.Quote(wanted)}");
            var records = await Open(parse.GetValue(state)!).ListAsync(new RecordQuery(parse.GetValue(manifest), wanted), ct);
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(records, FactoryJson.Options));
            else
                foreach (var r in records)
                    Console.WriteLine($"{r.BuildId}  {r.IdempotencyKey[..12]}  {r.ManifestId,-14} {r.Platform,-12} {r.Status,-7} {r.Reason ?? "",-20} {r.RecordedAt:u}  {string.Join(" ", r.Modules.Select(m => $"{m.Slot}={m.Version}"))}");
            return ExitCodes.Passed;
        }));

        var id = new Argument<string>("KEY|BUILD_ID") { Description = "An idempotency key (its newest record) or a build id" };
        var show = new Command("show", "Show one compatibility record as JSON") { id, state, json };
        show.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            var record = await FindAsync(parse.GetValue(state)!, parse.GetValue(id)!, ct);
            Console.WriteLine(JsonSerializer.Serialize(record, FactoryJson.Options));
            return ExitCodes.Passed;
        }));
        return new Command("records", "Read compatibility records") { list, show };
    }

    public static async Task<CompatibilityRecord> FindAsync(string state, string keyOrBuildId, CancellationToken ct)
    {
        var store = Open(state);
        var record = Guid.TryParse(keyOrBuildId, out var buildId)
            ? await store.GetAsync(buildId, ct)
            : (await store.FindByKeyAsync(keyOrBuildId, ct)).FirstOrDefault();
        return record ?? throw new InvalidInputException("KEY|BUILD_ID", "", $"no record with build id or idempotency key {Names.Quote(keyOrBuildId)} in {state}");
    }

    private static SqliteCompatibilityRecordStore Open(string state)
    {
        if (!File.Exists(Path.Combine(state, "factory.db")))
            throw new InvalidInputException(state, "", "no records here yet: the state directory has no factory.db (run a plan first, or pass --state)");
        return new SqliteCompatibilityRecordStore(state);
    }
}
