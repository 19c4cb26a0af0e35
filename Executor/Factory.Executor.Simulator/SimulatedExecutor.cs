namespace Factory.Executor.Simulator;

/// <summary>One simulated executor, taken by a delivery: disposing frees it for the next.</summary>
public sealed class SimulatedExecutor : IDisposable
{
    private readonly SimulatedExecutors _owner;
    private readonly int _slot;
    private int _released;

    internal SimulatedExecutor(SimulatedExecutors owner, int slot, string id) => (_owner, _slot, Id) = (owner, slot, id);

    public string Id { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) _owner.Release(_slot);
    }
}
