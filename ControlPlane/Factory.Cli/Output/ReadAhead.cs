using System.Collections.Concurrent;

namespace Factory.Cli.Output;

/// <summary>
/// Enumerates a sequence on another thread, a few chunks ahead of the caller: `plan render` makes items (their
/// combinations, the SHA-256 of their keys) while the ones before are printed, and on more than one core the two
/// overlap. The items come in their order; memory stays bounded (<see cref="ChunksAhead"/> chunks); an exception
/// of the sequence comes out of the enumeration, after the items made before it. Stopping early stops the maker.
/// </summary>
internal static class ReadAhead
{
    private const int ChunkSize = 1024;
    private const int ChunksAhead = 4;

    public static IEnumerable<T> Of<T>(IEnumerable<T> items)
    {
        using var stop = new CancellationTokenSource();
        using var chunks = new BlockingCollection<T[]>(ChunksAhead);
        var maker = Task.Run(() => Make(items, chunks, stop.Token));
        try
        {
            foreach (var chunk in chunks.GetConsumingEnumerable())
                foreach (var item in chunk) yield return item;
        }
        finally
        {
            Stop(maker, stop);
        }
        maker.GetAwaiter().GetResult();
    }

    private static void Make<T>(IEnumerable<T> items, BlockingCollection<T[]> chunks, CancellationToken ct)
    {
        var chunk = new List<T>(ChunkSize);
        try
        {
            foreach (var item in items)
            {
                chunk.Add(item);
                if (chunk.Count < ChunkSize) continue;
                chunks.Add([.. chunk], ct);
                chunk.Clear();
            }
        }
        finally
        {
            // The last chunk, also when the sequence failed: the items made before the failure come out before it.
            try
            {
                if (chunk.Count > 0 && !ct.IsCancellationRequested) chunks.Add([.. chunk], ct);
            }
            finally
            {
                chunks.CompleteAdding();
            }
        }
    }

    /// <summary>
    /// Ends the maker before its collection goes: at once when the caller stopped early (the maker is cancelled). Its
    /// exception is not thrown here: after an enumeration that ran to its end, <see cref="Of"/> rethrows it; after an
    /// early stop it is the cancellation asked for, or moot.
    /// </summary>
    private static void Stop(Task maker, CancellationTokenSource stop)
    {
        stop.Cancel();
        try
        {
            maker.Wait();
        }
        catch (AggregateException)
        {
        }
    }
}
