namespace Factory.ControlPlane.State;

/// <summary>Runs a store's schema creation once, before its first statement; a failed attempt is tried again next time.</summary>
internal sealed class SchemaOnce
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _done;

    public async Task EnsureAsync(Func<Task> create)
    {
        if (_done) return;
        await _gate.WaitAsync();
        try
        {
            if (_done) return;
            await create();
            _done = true;
        }
        finally
        {
            _gate.Release();
        }
    }
}
