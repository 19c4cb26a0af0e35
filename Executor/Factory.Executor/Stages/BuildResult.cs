using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Executor.Engine;

namespace Factory.Executor.Stages;

/// <summary>A build's result; when it succeeded, ImageId is the local image (tagged Tag), not pushed yet.</summary>
public sealed record BuildResult(bool Succeeded, string? ImageId, string Tag, string? Reason, string Log, TimeSpan Duration, long? SizeBytes);
