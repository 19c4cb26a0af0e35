using Factory.Cli.Output;

namespace Factory.UnitTests;

/// <summary>ReadAhead: a sequence made on another thread comes out whole and in order, its failure after what it made, and stops when the caller does.</summary>
public sealed class ReadAheadTests
{
    [Fact]
    public void Items_come_out_in_their_order_across_many_chunks()
    {
        var items = Enumerable.Range(0, 10_000).Select(i => $"item {i}");
        Assert.Equal(items, ReadAhead.Of(items).ToList());
        Assert.Empty(ReadAhead.Of(Array.Empty<string>()));
    }

    [Fact]
    public void A_failure_of_the_sequence_comes_out_after_every_item_made_before_it()
    {
        static IEnumerable<int> FailingAfter(int count)
        {
            for (var i = 0; i < count; i++) yield return i;
            throw new InvalidDataException("module 9.3.0 vanished");
        }

        var seen = new List<int>();
        var failure = Assert.Throws<InvalidDataException>(() => { foreach (var i in ReadAhead.Of(FailingAfter(3_000))) seen.Add(i); });

        Assert.Equal("module 9.3.0 vanished", failure.Message);
        // Three chunks of 1,024 would hold 3,072: the last, partial one is not lost to the failure.
        Assert.Equal(Enumerable.Range(0, 3_000), seen);
    }

    [Fact]
    public async Task A_caller_that_stops_early_stops_the_maker_before_it_returns()
    {
        var made = 0;
        var ended = false;
        IEnumerable<int> Endless()
        {
            try
            {
                while (true) yield return Interlocked.Increment(ref made);
            }
            finally
            {
                Volatile.Write(ref ended, true);
            }
        }

        // Bounded: without the stop, the maker would block on the full collection and the caller wait for it for ever.
        var first = await Task.Run(() => ReadAhead.Of(Endless()).Take(10).ToList()).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Enumerable.Range(1, 10), first);
        // The maker left the sequence (its finally ran) before the enumeration returned, a few chunks ahead at most.
        Assert.True(Volatile.Read(ref ended), "the endless sequence was not ended when the enumeration was");
        Assert.InRange(Volatile.Read(ref made), 10, 1024 * 6);
    }
}
