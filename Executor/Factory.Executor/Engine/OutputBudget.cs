namespace Factory.Executor.Engine;

/// <summary>
/// How many bytes of output may still be written to disk, shared by the spools of one test (stdout and stderr): the
/// stored full log is bounded however the output is split between them. One writer at a time, as the captures.
/// </summary>
public sealed class OutputBudget(long bytes)
{
    public long Remaining { get; private set; } = Math.Max(0, bytes);

    /// <summary>Takes up to <paramref name="wanted"/> bytes; returns how many were granted.</summary>
    public int Take(int wanted)
    {
        var granted = (int)Math.Min(wanted, Remaining);
        Remaining -= granted;
        return granted;
    }
}
