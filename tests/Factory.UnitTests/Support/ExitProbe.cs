namespace Factory.UnitTests.Support;

/// <summary>A message on a work queue that its consumer accepts at once.</summary>
public sealed record ExitProbe;
