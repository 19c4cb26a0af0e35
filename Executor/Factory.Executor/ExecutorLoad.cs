namespace Factory.Executor;

/// <summary>How many work items this executor is handling right now (for heartbeats).</summary>
public sealed class ExecutorLoad
{
    private int _busy;
    public int Busy => Volatile.Read(ref _busy);

    public IDisposable Enter()
    {
        Interlocked.Increment(ref _busy);
        return new Leave(this);
    }

    private sealed class Leave(ExecutorLoad load) : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) Interlocked.Decrement(ref load._busy);
        }
    }
}
