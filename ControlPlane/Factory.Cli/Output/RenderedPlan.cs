using System.Text;
using System.Text.Json;
using Factory.Contracts;
using Factory.Contracts.Messages;

namespace Factory.Cli.Output;

/// <summary>
/// What `factory plan render` prints, written item by item as the items are made, so that a plan of 100k items
/// is never held as a document: JSON <c>{plan_id, items: [{idempotency_key, manifest_id, platform, pool, modules,
/// base_digest, test_suite_hash}]}</c> in Factory's JSON style, or one line per item.
/// </summary>
internal static class RenderedPlan
{
    private const int FlushBytes = 1 << 16;
    private static readonly JsonEncodedText PlanId = JsonEncodedText.Encode("plan_id");
    private static readonly JsonEncodedText Items = JsonEncodedText.Encode("items");
    private static readonly JsonEncodedText IdempotencyKey = JsonEncodedText.Encode("idempotency_key");
    private static readonly JsonEncodedText ManifestId = JsonEncodedText.Encode("manifest_id");
    private static readonly JsonEncodedText Platform = JsonEncodedText.Encode("platform");
    private static readonly JsonEncodedText Pool = JsonEncodedText.Encode("pool");
    private static readonly JsonEncodedText Modules = JsonEncodedText.Encode("modules");
    private static readonly JsonEncodedText BaseDigest = JsonEncodedText.Encode("base_digest");
    private static readonly JsonEncodedText TestSuiteHash = JsonEncodedText.Encode("test_suite_hash");

    public static void WriteJson(Stream output, string planId, IEnumerable<WorkItem> items)
    {
        var style = FactoryJson.Options;
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions
        {
            Indented = style.WriteIndented, IndentCharacter = style.IndentCharacter, IndentSize = style.IndentSize,
            NewLine = style.NewLine, Encoder = style.Encoder,
        });
        json.WriteStartObject();
        json.WriteString(PlanId, planId);
        json.WriteStartArray(Items);
        foreach (var item in ReadAhead.Of(items))
        {
            json.WriteStartObject();
            json.WriteString(IdempotencyKey, item.IdempotencyKey);
            json.WriteString(ManifestId, item.ManifestId);
            json.WriteString(Platform, item.Platform);
            json.WriteString(Pool, item.Pool);
            json.WriteStartObject(Modules);
            foreach (var module in item.Modules) json.WriteString(module.Slot, module.Version);
            json.WriteEndObject();
            json.WriteString(BaseDigest, item.BaseDigest);
            json.WriteString(TestSuiteHash, item.TestSuiteHash);
            json.WriteEndObject();
            if (json.BytesPending >= FlushBytes) json.Flush();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        output.Write("\n"u8);
        output.Flush();
    }

    public static void WriteText(Stream output, string planId, string manifestId, long count, IEnumerable<WorkItem> items)
    {
        using var text = new StreamWriter(output, new UTF8Encoding(false), FlushBytes, leaveOpen: true);
        text.WriteLine($"plan {planId}: {count} combinations of manifest {manifestId}");
        foreach (var i in ReadAhead.Of(items))
            text.WriteLine($"  {i.IdempotencyKey[..12]}  {i.Platform,-12} pool {i.Pool,-6} {string.Join(" ", i.Modules.Select(m => $"{m.Slot}={m.Version}"))}");
    }
}
