using System.CommandLine;
using System.Text.Json;
using Factory.Cli.Output;
using Factory.ControlPlane.Review;
using Factory.ControlPlane.State;
using Factory.Contracts;
using Factory.Contracts.Records;
using Factory.Manifests;
using Factory.Records;

namespace Factory.Cli.Commands;

/// <summary>
/// `records list|show|history|why|diff|compare` on the state directory. Every KEY|BUILD_ID takes a build id, a key
/// (its newest record), or a unique prefix of 8 or more characters of either.
/// </summary>
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

        var show = new Command("show", "Show one compatibility record: for a person (status, failed step and its owner, why built, tests, log tail, evidence), or --json")
            { Id(), state, json };
        show.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            var stateDirectory = parse.GetValue(state)!;
            var record = await FindAsync(stateDirectory, parse.GetValue<string>("KEY|BUILD_ID")!, ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(record, FactoryJson.Options));
                return ExitCodes.Passed;
            }
            using var evidence = EvidenceCommands.Stores(stateDirectory);
            var explanation = await Review(stateDirectory).ExplainAsync(record, evidence.FindAsync, ct);
            RecordText.Write(Console.Out, record, explanation);
            return ExitCodes.Passed;
        }));

        var window = new Option<string>("--window") { Description = "The window flakiness is measured over (e.g. 14d, 12h)", DefaultValueFactory = _ => "14d" };
        var history = new Command("history", "The records of a key's cell (manifest, modules, platform) over time: first failed, first fixed, flake rate") { Id(), window, state, json };
        history.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            var stateDirectory = parse.GetValue(state)!;
            if (!Durations.TryParse(parse.GetValue(window)!, out var span))
                throw new InvalidInputException("--window", "", $"expected a duration such as 14d, 12h or 30m, found {Names.Quote(parse.GetValue(window)!)}");
            var record = await FindAsync(stateDirectory, parse.GetValue<string>("KEY|BUILD_ID")!, ct);
            var cell = await Review(stateDirectory).HistoryAsync(record, span, ct);
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(cell, FactoryJson.Options));
            else ReviewText.WriteHistory(Console.Out, cell);
            return ExitCodes.Passed;
        }));

        var why = new Command("why", "Why a record was built, re-tested or rerun: its inputs against the nearest earlier record of its manifest and platform") { Id(), state, json };
        why.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            var stateDirectory = parse.GetValue(state)!;
            var record = await FindAsync(stateDirectory, parse.GetValue<string>("KEY|BUILD_ID")!, ct);
            using var evidence = EvidenceCommands.Stores(stateDirectory);
            var explanation = await Review(stateDirectory).ExplainAsync(record, evidence.FindAsync, ct);
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(explanation, FactoryJson.Options));
            else Console.WriteLine(explanation.WhyBuilt.Text);
            return ExitCodes.Passed;
        }));

        var a = new Argument<string>("A") { Description = "The first record: KEY|BUILD_ID (or a unique prefix of 8+ characters)" };
        var b = new Argument<string>("B") { Description = "The second record: KEY|BUILD_ID (or a unique prefix of 8+ characters)" };
        var diff = new Command("diff", "Compare two records: inputs, tests, and SBOMs (added, removed, changed versions)") { a, b, state, json };
        diff.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            var stateDirectory = parse.GetValue(state)!;
            var before = await FindAsync(stateDirectory, parse.GetValue(a)!, ct, "A");
            var after = await FindAsync(stateDirectory, parse.GetValue(b)!, ct, "B");
            using var evidence = EvidenceCommands.Stores(stateDirectory);
            var result = await ReviewQueries.DiffAsync(before, after, evidence.FindAsync, ct);
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(result, FactoryJson.Options));
            else ReviewText.WriteDiff(Console.Out, result);
            return ExitCodes.Passed;
        }));

        var compareManifest = new Option<string>("--manifest") { Description = "The manifest whose matrix to compare", Required = true };
        var beforeAt = new Option<string?>("--before") { Description = "The earlier side: an RFC 3339 time, a duration ago (7d, 12h) or a plan run id" };
        var beforePlan = new Option<string?>("--before-plan") { Description = "The earlier side: only this plan's records" };
        var afterAt = new Option<string?>("--after") { Description = "The later side (default: now): a time, a duration ago or a plan run id" };
        var afterPlan = new Option<string?>("--after-plan") { Description = "The later side: only this plan's records" };
        var compare = new Command("compare", "Compare a manifest's matrix now (or --after) with --before / --before-plan: newly failing, newly passing, still failing, new, removed; exit 1 when something is newly failing")
            { compareManifest, beforeAt, beforePlan, afterAt, afterPlan, state, json };
        compare.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            if (parse.GetValue(beforeAt) is null && parse.GetValue(beforePlan) is null)
                throw new InvalidInputException("--before", "", "give the side to compare with: --before (a time, a duration ago such as 7d, or a plan run id) or --before-plan ID");
            var review = Review(parse.GetValue(state)!);
            var result = await review.CompareAsync(parse.GetValue(compareManifest)!,
                await review.SideAsync(parse.GetValue(beforeAt), parse.GetValue(beforePlan), "--before", "", ct),
                await review.SideAsync(parse.GetValue(afterAt), parse.GetValue(afterPlan), "--after", "", ct), ct);
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(result, FactoryJson.Options));
            else ReviewText.WriteComparison(Console.Out, result);
            return result.NewlyFailing.Count > 0 ? ExitCodes.Failed : ExitCodes.Passed;
        }));
        return new Command("records", "Read compatibility records") { list, show, history, why, diff, compare };
    }

    private static Argument<string> Id() => new("KEY|BUILD_ID") { Description = "A build id or an idempotency key (its newest record), or a unique prefix of 8 or more characters of one" };

    public static async Task<CompatibilityRecord> FindAsync(string state, string keyOrBuildId, CancellationToken ct, string argument = "KEY|BUILD_ID")
    {
        var store = Open(state);
        var lookup = await store.LookupAsync(keyOrBuildId, ct);
        return await store.GetAsync(lookup, ct)
               ?? throw new InvalidInputException(argument, "", lookup.Outcome == RecordLookupOutcome.Found ? $"no record {keyOrBuildId} in {state}" : $"{lookup.Message} in {state}");
    }

    private static ReviewQueries Review(string state) => new(Open(state), TimeProvider.System, File.Exists(Path.Combine(state, "plans.db")) ? new SqlitePlanStateStore(state) : null);

    private static SqliteCompatibilityRecordStore Open(string state)
    {
        if (!File.Exists(Path.Combine(state, "factory.db")))
            throw new InvalidInputException(state, "", "no records here yet: the state directory has no factory.db (run a plan first, or pass --state)");
        return new SqliteCompatibilityRecordStore(state);
    }
}
