namespace Factory.UnitTests.Support;

/// <summary>How many times the probe's consumer was called.</summary>
public sealed class RetryProbeAttempts
{
    private int _count;
    public int Count => Volatile.Read(ref _count);
    public void Add() => Interlocked.Increment(ref _count);
}
