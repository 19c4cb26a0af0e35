using System.Text.Json;

namespace Factory.IntegrationTests.Infrastructure;

public static class CliRecords
{
    public static async Task<JsonElement> ShowAsync(ScratchStore store, string buildIdOrKey)
    {
        var shown = await FactoryCli.RunAsync(["records", "show", buildIdOrKey, "--state", store.State, "--json"]);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        return shown.Json;
    }

    /// <summary>The content of a piece of evidence of a record, read from the local evidence store, checked against its sha256.</summary>
    public static string Evidence(ScratchStore store, JsonElement record, string kind, string? name = null)
    {
        var entry = record.GetProperty("evidence").EnumerateArray()
            .First(e => e.GetProperty("kind").GetString() == kind && (name is null || e.GetProperty("name").GetString() == name));
        var uri = entry.GetProperty("uri").GetString()!;
        var hex = uri["local:sha256/".Length..];
        var bytes = File.ReadAllBytes(Path.Combine(store.State, "evidence", "sha256", hex[..2], hex));
        Assert.Equal(entry.GetProperty("sha256").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        Assert.Equal(entry.GetProperty("size").GetInt64(), bytes.LongLength);
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    public static int Count(ScratchStore store)
    {
        if (!File.Exists(Path.Combine(store.State, "factory.db"))) return 0;
        var list = FactoryCli.RunAsync(["records", "list", "--state", store.State, "--json"]).GetAwaiter().GetResult();
        Assert.True(list.ExitCode == 0, list.ToString());
        return list.Json.GetArrayLength();
    }
}
