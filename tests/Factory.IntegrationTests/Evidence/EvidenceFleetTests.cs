using System.Security.Cryptography;
using System.Text.Json;
using Factory.Evidence;
using Factory.IntegrationTests.Fleet;
using Factory.IntegrationTests.Infrastructure;
using Npgsql;

namespace Factory.IntegrationTests.Evidence;

/// <summary>A fleet that keeps its evidence in the real Ceph RGW, and what happens when object storage goes away.</summary>
[Collection(DockerCollection.Name)]
public sealed class EvidenceFleetTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(6);
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(3);

    private static List<JsonElement> Items(JsonElement view) => view.GetProperty("items").EnumerateArray().ToList();
    private static string Status(JsonElement item) => item.GetProperty("status").GetString()!;

    [Fact]
    public async Task Object_storage_down_mid_plan_dead_letters_its_items_as_infrastructure_errors_and_a_replay_completes_them_with_evidence_in_RGW()
    {
        await using var bucket = new RgwBucket();
        await using var storage = new TcpProxy(Rgw.Port);
        storage.Start();
        await using var fleet = new FleetHarness();
        var marker = Guid.NewGuid().ToString("N")[..12];
        for (var i = 0; i < 2; i++)
            fleet.Store.AddModule("light", $"9.8.{i}", $"RUN echo \"light 9.8.{i} {marker}\" > /etc/factory/light && sleep 5\n");
        fleet.Store.Write("plans/it_storage.yaml", "id: it_storage\nmanifest: core_smoke\nmatrix: {light: [9.8.0, 9.8.1]}\nplatforms: [linux/amd64]\n");
        var settings = Rgw.Environment(bucket.Name, storage.Url);
        settings["Evidence__S3__MinimumThroughput"] = "4";
        settings["Evidence__S3__BreakDuration"] = BreakDuration.ToString();
        settings["Executor__Retry__Limit"] = "2";
        settings["Executor__Retry__MinInterval"] = "00:00:00.500";
        settings["Executor__Retry__MaxInterval"] = "00:00:02";
        settings["Executor__Retry__IntervalDelta"] = "00:00:00.500";
        await fleet.StartAsync("amd64", executorsPerPool: 1, settings);

        var submitted = await fleet.SubmitAsync("it_storage", wait: false);
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        var id = submitted.Json.GetProperty("id").GetString()!;
        await fleet.WaitForPlanAsync(id, v => Items(v).Any(i => Status(i) == "running"), Long, "an item to start");
        storage.Stop();

        var stuck = await fleet.WaitForPlanAsync(id, v => v.GetProperty("status").GetString() == "completed", Long, "the items to be given up on");
        Assert.All(Items(stuck), item =>
        {
            Assert.True(Status(item) == "dead_lettered", $"{item}\n{fleet.Logs()}");
            var error = item.GetProperty("error");
            Assert.Equal("infrastructure", error.GetProperty("classification").GetString());
            Assert.Equal(3, error.GetProperty("attempts").GetInt32());
            Assert.Contains($"object storage {storage.Url}", error.GetProperty("error").GetString());
        });
        var letters = await fleet.CliAsync("dlq", "list", "--json");
        Assert.True(letters.ExitCode == 0, letters.ToString());
        Assert.Equal(2, letters.Json.GetArrayLength());
        Assert.All(letters.Json.EnumerateArray(), l => Assert.Contains("object storage", l.GetProperty("reason").GetString()));
        await AssertEveryRecordsEvidenceIsInRgwAsync(fleet, bucket.Name, expectedRecords: 0);

        storage.Start();
        await Task.Delay(BreakDuration + TimeSpan.FromSeconds(1)); // the executor's circuit lets calls through again
        var replay = await fleet.CliAsync("dlq", "replay", "--all");
        Assert.True(replay.ExitCode == 0, replay.ToString());

        var done = await fleet.WaitForPlanAsync(id, v => Items(v).All(i => Status(i) == "passed"), Long, "the replayed items to pass");
        Assert.Equal(0, (await fleet.CliAsync("dlq", "list", "--json")).Json.GetArrayLength());
        var evidence = await AssertEveryRecordsEvidenceIsInRgwAsync(fleet, bucket.Name, expectedRecords: 2);
        Assert.Contains(evidence, e => e.GetProperty("kind").GetString() == "build_log");
        Assert.Contains(evidence, e => e.GetProperty("kind").GetString() == "test_log");

        var log = evidence.First(e => e.GetProperty("kind").GetString() == "build_log");
        var file = Path.Combine(fleet.Store.Root, "build.log");
        var get = await FactoryCli.RunAsync(["evidence", "get", log.GetProperty("uri").GetString()!, "-o", file], Rgw.Environment(bucket.Name));
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Contains(marker, await File.ReadAllTextAsync(file));
        Assert.Equal(2, Items(done).Count);

        // Retention over the fleet's records: nothing any of them refers to is a candidate, even with no grace at all.
        var gcEnvironment = Rgw.Environment(bucket.Name);
        gcEnvironment["Evidence__Retention__MinAgeHours"] = "0";
        gcEnvironment["Evidence__Retention__UnreferencedDays"] = "0";
        var gc = await FactoryCli.RunAsync(["evidence", "gc", "--database", fleet.ConnectionString, "--dry-run", "--json"], gcEnvironment);
        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.Equal(2, gc.Json.GetProperty("records").GetInt32());
        var referenced = evidence.Select(e => e.GetProperty("uri").GetString()!).ToHashSet();
        Assert.DoesNotContain(gc.Json.GetProperty("removed").GetProperty("objects").EnumerateArray(), o => referenced.Contains(o.GetProperty("uri").GetString()!));
    }

    /// <summary>Every evidence reference of every record in the fleet's PostgreSQL names an object in RGW with that sha256 and size.</summary>
    private static async Task<List<JsonElement>> AssertEveryRecordsEvidenceIsInRgwAsync(FleetHarness fleet, string bucket, int expectedRecords)
    {
        var records = new List<JsonElement>();
        await using (var connection = new NpgsqlConnection(fleet.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT record::text FROM records", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) records.Add(JsonDocument.Parse(reader.GetString(0)).RootElement.Clone());
        }
        Assert.Equal(expectedRecords, records.Count);
        var evidence = records.SelectMany(r => r.GetProperty("evidence").EnumerateArray()).ToList();
        foreach (var e in evidence)
        {
            var uri = e.GetProperty("uri").GetString()!;
            var address = EvidenceAddress.Parse(uri);
            Assert.Equal(bucket, address.Bucket);
            var content = await Rgw.ReadAsync(bucket, address.Key);
            Assert.True(content is not null, $"a record points to {uri}, which is not in RGW");
            Assert.Equal(e.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(content)));
            Assert.Equal(e.GetProperty("size").GetInt64(), content.LongLength);
        }
        return evidence;
    }
}
