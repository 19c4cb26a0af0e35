using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Factory.Contracts.Messages;
using Factory.ControlPlane.DeadLetters;
using MassTransit.Serialization;

namespace Factory.Testing;

/// <summary>A well-formed work item or result as MassTransit puts it on the wire, to stand beside poison messages in a dead-letter queue.</summary>
public static class DeadLetterSamples
{
    public static byte[] WorkItemEnvelope(Guid buildId, string planId = "it_dlq")
    {
        var message = new ExecuteWorkItem
        {
            BuildId = buildId,
            Item = new WorkItem
            {
                IdempotencyKey = "0123456789abcdef", PlanId = planId, ManifestId = "core_smoke", TemplateId = "smoke", TemplateVersion = "1.0.0",
                BaseImage = "127.0.0.1:5000/base/busybox@sha256:" + new string('a', 64), BaseDigest = "sha256:" + new string('a', 64),
                Platform = "linux/amd64", Pool = "amd64", TestSuiteId = "smoke", TestSuiteHash = "suite1", Tests = [],
                Modules = [new ModuleSelection { Slot = "light", Name = "light", Version = "1.0.0", ContentDigest = "sha256:" + new string('b', 64) }],
            },
        };
        return Envelope(DeadLetterBody.WorkItemType, message);
    }

    public static byte[] ResultEnvelope(WorkItemCompleted result) => Envelope(DeadLetterBody.ResultType, result);

    private static byte[] Envelope<T>(string messageType, T message)
    {
        var envelope = new JsonObject
        {
            ["messageId"] = Guid.NewGuid().ToString(),
            ["messageType"] = new JsonArray(messageType),
            ["message"] = JsonSerializer.SerializeToNode(message, SystemTextJsonMessageSerializer.Options),
            ["headers"] = new JsonObject(),
        };
        return Encoding.UTF8.GetBytes(envelope.ToJsonString());
    }
}
