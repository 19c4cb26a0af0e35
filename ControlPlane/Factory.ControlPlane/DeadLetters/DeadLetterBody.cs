using System.Security.Cryptography;
using System.Text.Json;
using Factory.Contracts.Messages;

namespace Factory.ControlPlane.DeadLetters;

/// <summary>
/// What a dead-lettered message says, read without trusting it: a MassTransit envelope whose messageType names what
/// its queue takes (<see cref="ExecuteWorkItem"/> on a pool's queue, <see cref="WorkItemCompleted"/> on results) and
/// whose message deserializes as one. Anything else is <see cref="Malformed"/> with the reason: it is listed, never
/// replayed (its consumer would refuse it again), and can be purged. <see cref="Signed"/>: a result that carries a
/// record signature (whether a trusted key made it is the results consumer's call).
/// </summary>
public sealed record DeadLetterBody(string? MessageType, Guid? BuildId, string? IdempotencyKey, string? PlanId, string? Malformed, bool Signed = false)
{
    public static readonly string WorkItemType = TypeUrn(nameof(ExecuteWorkItem));
    public static readonly string ResultType = TypeUrn(nameof(WorkItemCompleted));
    /// <summary>Only so much of a poison body's text is quoted back.</summary>
    private const int QuotedChars = 200;
    /// <summary>The executor's own reading of the wire (MassTransit's serializer settings): what it would refuse is malformed here too.</summary>
    private static JsonSerializerOptions Wire => MassTransit.Serialization.SystemTextJsonMessageSerializer.Options;

    public bool IsMalformed => Malformed is not null;

    /// <summary>A dead letter of a pool's queue: a work item of the schema version this control plane sends.</summary>
    public static DeadLetterBody Read(ReadOnlyMemory<byte> body) => ReadEnvelope(body, WorkItemType, "a pool's queue", (messageType, message) =>
    {
        var work = message.Deserialize<ExecuteWorkItem>(Wire);
        if (work is null) return Bad(messageType, "wrong schema: message is null");
        if (work.SchemaVersion != ExecuteWorkItem.CurrentSchemaVersion)
            return Bad(messageType, $"schema version {work.SchemaVersion}: this control plane sends and replays version {ExecuteWorkItem.CurrentSchemaVersion}");
        if (work.Item is null) return Bad(messageType, $"wrong schema for {nameof(ExecuteWorkItem)}: item is missing");
        if (work.BuildId == Guid.Empty) return Bad(messageType, $"wrong schema for {nameof(ExecuteWorkItem)}: buildId is missing");
        return new DeadLetterBody(messageType, work.BuildId, work.Item.IdempotencyKey, work.Item.PlanId, null);
    });

    /// <summary>A dead letter of the results queue: an executor's result.</summary>
    public static DeadLetterBody ReadResult(ReadOnlyMemory<byte> body) => ReadEnvelope(body, ResultType, "the results queue", (messageType, message) =>
    {
        var result = message.Deserialize<WorkItemCompleted>(Wire);
        if (result is null) return Bad(messageType, "wrong schema: message is null");
        if (result.Item is null) return Bad(messageType, $"wrong schema for {nameof(WorkItemCompleted)}: item is missing");
        if (result.BuildId == Guid.Empty) return Bad(messageType, $"wrong schema for {nameof(WorkItemCompleted)}: buildId is missing");
        return new DeadLetterBody(messageType, result.BuildId, result.Item.IdempotencyKey, result.Item.PlanId, null, !string.IsNullOrEmpty(result.RecordSignature));
    });

    /// <summary>An id for a message that came without one: stable across listings, so that it can be named to purge.</summary>
    public static string ContentId(ReadOnlySpan<byte> body) => "sha256-" + Convert.ToHexStringLower(SHA256.HashData(body))[..16];

    private static DeadLetterBody ReadEnvelope(ReadOnlyMemory<byte> body, string expectedType, string queue, Func<string, JsonElement, DeadLetterBody> readMessage)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            return Bad(null, $"not JSON: {Shorten(ex.Message)}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Bad(null, $"not a MassTransit envelope: the body is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, expected an object with messageType and message");
            if (!root.TryGetProperty("messageType", out var types) || types.ValueKind != JsonValueKind.Array
                || types.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
                return Bad(null, "not a MassTransit envelope: messageType is missing or not an array of strings");
            var named = types.EnumerateArray().Select(t => t.GetString()!).ToList();
            var messageType = named.Count == 0 ? "(none)" : string.Join(", ", named);
            if (!named.Contains(expectedType, StringComparer.Ordinal))
                return Bad(messageType, $"unknown message type {Shorten(messageType)}: {queue} takes {expectedType}");
            if (!root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
                return Bad(messageType, "wrong schema: message is missing or not an object");
            try
            {
                return readMessage(messageType, message);
            }
            catch (JsonException ex)
            {
                return Bad(messageType, $"wrong schema for {expectedType[(expectedType.LastIndexOf(':') + 1)..]}: {Shorten(ex.Message)}");
            }
        }
    }

    private static string TypeUrn(string name) => $"urn:message:{typeof(ExecuteWorkItem).Namespace}:{name}";

    private static DeadLetterBody Bad(string? messageType, string reason) => new(messageType, null, null, null, reason);

    private static string Shorten(string text) => text.Length <= QuotedChars ? text : text[..QuotedChars] + "…";
}
