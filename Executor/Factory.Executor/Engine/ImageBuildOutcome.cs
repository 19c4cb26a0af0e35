namespace Factory.Executor.Engine;

/// <summary>A build's outcome; ImageId (sha256:…, the local image) is set when it succeeded.</summary>
public sealed record ImageBuildOutcome(bool Succeeded, string Log, TimeSpan Duration, string? ImageId = null);
