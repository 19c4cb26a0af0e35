namespace Factory.Executor.Drain;

/// <summary>Whether this executor is draining, and how its builds in progress ended: for the log lines operators read.</summary>
public sealed class DrainSignal
{
    private int _draining, _finished, _handedBack;

    public bool IsDraining => Volatile.Read(ref _draining) == 1;
    public int Finished => Volatile.Read(ref _finished);
    public int HandedBack => Volatile.Read(ref _handedBack);

    /// <summary>True the first time only.</summary>
    public bool Begin() => Interlocked.Exchange(ref _draining, 1) == 0;

    public void BuildFinished() => Interlocked.Increment(ref _finished);

    public void BuildHandedBack() => Interlocked.Increment(ref _handedBack);
}
