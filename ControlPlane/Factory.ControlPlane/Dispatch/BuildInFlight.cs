namespace Factory.ControlPlane.Dispatch;

/// <summary>The one build of a key in flight: whoever else wants that key attaches to it (same test suite) or waits.</summary>
public sealed record BuildInFlight(string IdempotencyKey, Guid BuildId, string TestSuiteHash);
