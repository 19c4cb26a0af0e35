using System.Text;
using System.Text.Json;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.IntegrationTests.Infrastructure;
using Factory.Records;
using Factory.Signing;
using Factory.UnitTests.Support;
using Npgsql;
using RabbitMQ.Client;

namespace Factory.IntegrationTests.Fleet;

/// <summary>
/// The results consumer on real RabbitMQ and PostgreSQL records only results signed by a key of its keyring; what
/// else arrives on `results` is dead-lettered with its reason, and never becomes something a plan reuses.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class ForgedResults
{
    [Fact]
    public async Task A_forged_result_published_straight_to_results_is_dead_lettered_not_recorded_and_a_later_plan_builds_its_key()
    {
        await using var fleet = new FleetHarness();
        fleet.Store.Write("plans/it_forged.yaml", "id: it_forged\nmanifest: core_smoke\nmatrix: {light: [1.0.0]}\nplatforms: [linux/amd64]\n");
        await fleet.StartAsync("amd64", executorsPerPool: 1);
        var render = await FactoryCli.RunAsync(fleet.Store.Args("plan", "render", "it_forged", "--json"));
        Assert.True(render.ExitCode == 0, render.ToString());
        var key = render.Json.GetProperty("items")[0].GetProperty("idempotency_key").GetString()!;

        // Two forgeries of a passing result for the plan's key: unsigned, and signed by a key the fleet does not trust.
        using var forger = SigningKey.Generate();
        var unsigned = SignedResults.Unsigned(key) with { Item = WorkItems.Make(key) with { PlanId = "it_forged", ManifestId = "core_smoke" } };
        var foreign = SignedResults.Sign(unsigned with { BuildId = Guid.NewGuid() }, forger);
        await PublishToResultsAsync(fleet, unsigned, foreign);

        var letters = await WaitForDeadLettersAsync(fleet, 2);
        Assert.Contains(letters, l => l.Contains(unsigned.BuildId.ToString()) && l.Contains("unsigned: the result carries no record signature"));
        Assert.Contains(letters, l => l.Contains(foreign.BuildId.ToString()) && l.Contains($"signed by {forger.KeyId}, which is not in the keyring"));
        Assert.All(letters, l => Assert.Contains(nameof(Factory.Contracts.Failures.UntrustedResultException), l));
        Assert.False((await fleet.RecordsPerKeyAsync()).ContainsKey(key), "a forged result was recorded\n" + fleet.Logs());

        // A passing record nobody vouched for (as one stored before results were checked) is not reused either.
        await using (var dataSource = NpgsqlDataSource.Create(fleet.ConnectionString))
            Assert.True(await new PostgresCompatibilityRecordStore(dataSource).SaveAsync(
                SampleRecords.Make(key: key, manifest: "core_smoke", plan: "it_forged", signedBy: null), CancellationToken.None));

        var run = await fleet.SubmitAsync("it_forged");
        Assert.True(run.ExitCode == 0, run + fleet.Logs());
        var item = run.Json.GetProperty("items")[0];
        Assert.Equal("passed", item.GetProperty("status").GetString());
        var builtId = item.GetProperty("build_id").GetString()!;
        Assert.NotEqual(unsigned.BuildId.ToString(), builtId);
        Assert.Equal(2, (await fleet.RecordsPerKeyAsync())[key]);
        Assert.Equal(TrustedKeyId(fleet), await SignedByAsync(fleet, Guid.Parse(builtId)));

        // verify trusts the keyring only: the fleet's .pub beside the evidence does not make an outside keyring pass.
        Assert.True(File.Exists(Path.Combine(fleet.Store.State, "keys", "signing-key.pem.pub")));
        var outside = Directory.CreateDirectory(Path.Combine(fleet.Store.Root, "other-keyring")).FullName;
        File.WriteAllText(Path.Combine(outside, "forger.pub"), forger.PublicKeyPem());
        var refused = await fleet.CliAsync("verify", builtId, "--state", fleet.Store.State, "--keyring", outside);
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("FAIL  record signature: signed by sha256:", refused.Stdout);
        Assert.Contains($"which is not in the keyring {outside}", refused.Stdout);
        var verified = await fleet.CliAsync("verify", builtId, "--state", fleet.Store.State, "--keyring", Path.Combine(fleet.Store.State, "keyring"));
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Contains("ok    record signature: signed by trusted key sha256:", verified.Stdout);
    }

    private static async Task PublishToResultsAsync(FleetHarness fleet, params WorkItemCompleted[] results)
    {
        var factory = new ConnectionFactory { HostName = "127.0.0.1", VirtualHost = fleet.VirtualHost, UserName = LocalCredentials.Current.AmqpUser, Password = LocalCredentials.Current.AmqpPassword };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        foreach (var result in results)
        {
            var body = DistributedFleetTests.Envelope("urn:message:Factory.Contracts.Messages:WorkItemCompleted",
                JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
            await channel.BasicPublishAsync("results", "", true,
                new BasicProperties { ContentType = "application/vnd.masstransit+json", MessageId = Guid.NewGuid().ToString(), Persistent = true }, Encoding.UTF8.GetBytes(body));
        }
    }

    /// <summary>The results_error queue's messages (build id in the body, reason and exception type in the headers), left in place.</summary>
    private static async Task<List<string>> WaitForDeadLettersAsync(FleetHarness fleet, int count)
    {
        var factory = new ConnectionFactory { HostName = "127.0.0.1", VirtualHost = fleet.VirtualHost, UserName = LocalCredentials.Current.AmqpUser, Password = LocalCredentials.Current.AmqpPassword };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var letters = new List<string>();
            await using (var connection = await factory.CreateConnectionAsync())
            await using (var channel = await connection.CreateChannelAsync())
            {
                while (await channel.BasicGetAsync("results_error", false) is { } delivery)
                {
                    var headers = (delivery.BasicProperties.Headers ?? new Dictionary<string, object?>())
                        .Select(h => $"{h.Key}={(h.Value is byte[] b ? Encoding.UTF8.GetString(b) : h.Value)}");
                    letters.Add(Encoding.UTF8.GetString(delivery.Body.Span) + "\n" + string.Join("\n", headers));
                }
            } // closing the channel puts the unacknowledged messages back
            if (letters.Count >= count) return letters;
            Assert.True(DateTime.UtcNow < deadline, $"{letters.Count} of {count} results dead-lettered\n{string.Join("\n", letters)}\n{fleet.Logs()}");
            await Task.Delay(500);
        }
    }

    private static string TrustedKeyId(FleetHarness fleet)
    {
        using var keyring = Keyring.Load(Path.Combine(fleet.Store.State, "keyring"));
        return Assert.Single(keyring.KeyIds);
    }

    private static async Task<string?> SignedByAsync(FleetHarness fleet, Guid buildId)
    {
        await using var connection = new NpgsqlConnection(fleet.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT signed_by FROM records WHERE build_id = $1", connection) { Parameters = { new() { Value = buildId } } };
        return await command.ExecuteScalarAsync() as string;
    }
}
