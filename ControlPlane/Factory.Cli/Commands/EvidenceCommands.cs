using System.CommandLine;
using System.Text.Json;
using Factory.Contracts;
using Factory.Contracts.Records;
using Factory.Evidence;
using Factory.Manifests;
using Factory.Records;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Factory.Cli.Commands;

/// <summary>
/// `factory evidence get|gc`: read any evidence object from whichever store holds it, and apply the retention policy.
/// The store settings are the services' (the Evidence section), read from the environment: Evidence__Store=s3,
/// Evidence__S3__ServiceUrl, Evidence__S3__AccessKey, ... (default: files under --state).
/// </summary>
internal static class EvidenceCommands
{
    public static Command Create()
    {
        var state = CommonOptions.State();
        var uri = new Argument<string>("URI") { Description = "An evidence URI from a record: local:sha256/<hex> or s3://<bucket>/sha256/<hex>" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the content to this file (default: stdout)" };
        var get = new Command("get", "Fetch an evidence object from whichever store holds it, checked against the sha256 in its URI") { uri, output, state };
        get.SetAction((parse, ct) => CommonOptions.Guard(() => GetAsync(parse.GetValue(uri)!, parse.GetValue(output), parse.GetValue(state)!, ct)));

        var gcState = CommonOptions.State();
        var dryRun = new Option<bool>("--dry-run") { Description = "Report what would be removed; remove nothing" };
        var database = new Option<string?>("--database")
        {
            Description = "A fleet's PostgreSQL connection string: apply the policy to its records instead of the SQLite index under --state",
        };
        var json = CommonOptions.Json();
        var gc = new Command("gc", "Remove evidence no retained record needs (Evidence:Retention: FailedDays, PassingWhileCurrent, UnreferencedDays, MinAgeHours)")
            { gcState, dryRun, database, json };
        gc.SetAction((parse, ct) => CommonOptions.Guard(() =>
            CollectAsync(parse.GetValue(gcState)!, parse.GetValue(database), parse.GetValue(dryRun), parse.GetValue(json), ct)));
        return new Command("evidence", "Evidence objects (logs, Dockerfiles, provenance) in the local or S3 store") { get, gc };
    }

    internal static EvidenceStores Stores(string state) =>
        new(EvidenceOptions.From(new ConfigurationBuilder().AddEnvironmentVariables().Build()), state);

    private static async Task<int> GetAsync(string uri, string? output, string state, CancellationToken ct)
    {
        using var stores = Stores(state);
        byte[] content;
        try
        {
            content = await stores.GetAsync(uri, ct);
        }
        catch (EvidenceNotFoundException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
        if (output is null)
        {
            await using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(content, ct);
        }
        else
        {
            var full = Path.GetFullPath(output);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
            await File.WriteAllBytesAsync(temp, content, ct);
            File.Move(temp, full, overwrite: true);
            await Console.Error.WriteLineAsync($"{uri}: {content.LongLength} bytes, sha256 verified, written to {output}");
        }
        return ExitCodes.Passed;
    }

    private static async Task<int> CollectAsync(string state, string? database, bool dryRun, bool json, CancellationToken ct)
    {
        var options = EvidenceOptions.From(new ConfigurationBuilder().AddEnvironmentVariables().Build());
        using var stores = new EvidenceStores(options, state);
        var records = await ReadRecordsAsync(state, database, ct);
        var collector = new EvidenceCollector(stores.Configured, options.Retention, TimeProvider.System);
        var report = await collector.CollectAsync(records, dryRun, ct);
        if (json)
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                store = report.Store,
                dry_run = report.DryRun,
                records = records.Count,
                scanned = report.Scanned,
                kept = report.Kept,
                removed = new { count = report.Removed.Count, bytes = report.RemovedBytes, objects = report.Removed },
            }, FactoryJson.Options));
        else
        {
            var verb = dryRun ? "would remove" : "removed";
            Console.WriteLine($"{report.Store}: {verb} {report.Removed.Count} of {report.Scanned} objects ({report.RemovedBytes} bytes), kept {report.Kept}; {records.Count} records");
            foreach (var r in report.Removed) Console.WriteLine($"  {r.Uri}  {r.Size,10}  {r.Reason}");
        }
        return ExitCodes.Passed;
    }

    /// <summary>Every record, from the fleet's PostgreSQL or the SQLite index; none at all is refused (every object would look unreferenced).</summary>
    private static async Task<IReadOnlyList<CompatibilityRecord>> ReadRecordsAsync(string state, string? database, CancellationToken ct)
    {
        var all = new RecordQuery(Limit: int.MaxValue);
        if (database is not null)
        {
            await using var source = NpgsqlDataSource.Create(PostgresConnectionDefaults.Apply(database));
            return await new PostgresCompatibilityRecordStore(source).ListAsync(all, ct);
        }
        if (!File.Exists(Path.Combine(state, "factory.db")))
            throw new InvalidInputException(state, "", "no records here (no factory.db): gc needs the records that refer to the evidence (pass --state, or --database for a fleet)");
        SqliteCompatibilityRecordStore records;
        try
        {
            records = new SqliteCompatibilityRecordStore(state);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex) when (ex.SqliteErrorCode is 10 or 13) // disk I/O error, disk full
        {
            // gc is what frees a full disk: read the records without writing anything (see Immutable).
            records = SqliteCompatibilityRecordStore.Immutable(state);
        }
        return await records.ListAsync(all, ct);
    }
}
