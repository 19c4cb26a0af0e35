using Factory.Contracts.Failures;
using Factory.Contracts.Records;
using Factory.ResultsConsumer;
using Factory.UnitTests.Support;

namespace Factory.UnitTests;

public sealed class RecordGroupWriterTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task Records_that_arrive_while_a_write_is_under_way_go_together_in_the_next_write_and_no_waiter_returns_before_its_group_is_written()
    {
        var store = new GatedRecordStore();
        var (firstWrite, secondWrite) = (store.Hold(0), store.Hold(1));
        await using var writer = new RecordGroupWriter(store);

        var first = writer.SaveAsync(SampleRecords.Make(), Ct);
        await store.Started(0).WaitAsync(Patience);
        var later = Enumerable.Range(0, 50).Select(_ => SampleRecords.Make()).ToList();
        var waits = later.Select(r => writer.SaveAsync(r, Ct)).ToList();
        Assert.False(first.IsCompleted, "a waiter returned before its write finished");

        firstWrite.SetResult();
        Assert.True(await first.WaitAsync(Patience));
        await store.Started(1).WaitAsync(Patience);
        Assert.DoesNotContain(waits, w => w.IsCompleted);
        secondWrite.SetResult();

        Assert.All(await Task.WhenAll(waits).WaitAsync(Patience), Assert.True);
        Assert.Equal([1, 50], store.Groups.Select(g => g.Count));
        Assert.Equal(later.Select(r => r.BuildId), store.Groups[1].Select(r => r.BuildId));
        Assert.Equal(1, store.MostWritesAtOnce);
    }

    [Fact]
    public async Task A_group_is_at_most_the_limit_and_what_is_left_goes_in_the_following_writes()
    {
        var store = new GatedRecordStore();
        var firstWrite = store.Hold(0);
        await using var writer = new RecordGroupWriter(store, groupLimit: 16);
        var first = writer.SaveAsync(SampleRecords.Make(), Ct);
        await store.Started(0).WaitAsync(Patience);
        var waits = Enumerable.Range(0, 40).Select(_ => writer.SaveAsync(SampleRecords.Make(), Ct)).Prepend(first).ToList();

        firstWrite.SetResult();

        Assert.All(await Task.WhenAll(waits).WaitAsync(Patience), Assert.True);
        Assert.Equal([1, 16, 16, 8], store.Groups.Select(g => g.Count));
    }

    [Fact]
    public async Task Each_waiter_gets_its_own_records_outcome()
    {
        var store = new GatedRecordStore();
        var firstWrite = store.Hold(0);
        await using var writer = new RecordGroupWriter(store);
        var existing = SampleRecords.Make();
        store.AlreadyStored(existing.BuildId);
        var (fresh, twice) = (SampleRecords.Make(), SampleRecords.Make());
        var blocker = writer.SaveAsync(SampleRecords.Make(), Ct);
        await store.Started(0).WaitAsync(Patience);

        var outcomes = new[] { fresh, existing, twice, twice, SampleRecords.Make() }.Select(r => writer.SaveAsync(r, Ct)).ToList();
        firstWrite.SetResult();

        Assert.Equal(new[] { true, false, true, false, true }, await Task.WhenAll(outcomes).WaitAsync(Patience));
        Assert.True(await blocker);
        Assert.Equal(2, store.Groups.Count);
    }

    [Fact]
    public async Task A_failed_write_fails_every_waiter_of_its_group_and_only_those_and_the_writer_carries_on()
    {
        var outage = new InfrastructureException("postgresql", "connection refused");
        var store = new GatedRecordStore { Failure = call => call == 1 ? outage : null };
        var firstWrite = store.Hold(0);
        await using var writer = new RecordGroupWriter(store);
        var first = writer.SaveAsync(SampleRecords.Make(), Ct);
        await store.Started(0).WaitAsync(Patience);
        var failing = Enumerable.Range(0, 5).Select(_ => SampleRecords.Make()).ToList();
        var waits = failing.Select(r => writer.SaveAsync(r, Ct)).ToList();

        firstWrite.SetResult();

        Assert.True(await first.WaitAsync(Patience));
        foreach (var wait in waits)
            Assert.Same(outage, await Assert.ThrowsAsync<InfrastructureException>(() => wait.WaitAsync(Patience)));
        Assert.DoesNotContain(failing, r => store.Stored.Contains(r.BuildId));

        var retried = await writer.SaveAsync(failing[0], Ct).WaitAsync(Patience);
        Assert.True(retried, "the writer stopped writing after a failed group");
        Assert.Equal([1, 5, 1], store.Groups.Select(g => g.Count));
    }

    [Fact]
    public async Task Many_writers_at_once_with_some_writes_failing_store_each_record_once_and_every_waiter_hears_its_own_fate()
    {
        var store = new GatedRecordStore { Failure = call => call % 5 == 3 ? new InfrastructureException("postgresql", $"write {call} failed") : null };
        await using var writer = new RecordGroupWriter(store, groupLimit: 32);
        var records = Enumerable.Range(0, 2_000).Select(_ => SampleRecords.Make()).ToList();

        var outcomes = await Task.WhenAll(records.Chunk(250).Select(chunk => Task.Run(async () =>
        {
            var mine = new List<(CompatibilityRecord Record, bool? Inserted)>();
            foreach (var record in chunk)
            {
                try { mine.Add((record, await writer.SaveAsync(record, Ct))); }
                catch (InfrastructureException) { mine.Add((record, null)); }
            }
            return mine;
        }))).WaitAsync(Patience);

        var all = outcomes.SelectMany(o => o).ToList();
        var written = store.Groups.SelectMany(g => g).Select(r => r.BuildId).ToList();
        Assert.Equal(records.Count, written.Count);
        Assert.Equal(records.Select(r => r.BuildId).Order(), written.Order());
        var stored = store.Stored;
        Assert.All(all, o => Assert.Equal(o.Inserted is not null, stored.Contains(o.Record.BuildId)));
        Assert.All(all, o => Assert.NotEqual(false, o.Inserted));
        Assert.Contains(all, o => o.Inserted is null);
        Assert.True(store.Groups.Count < records.Count, "no records were written together");
        Assert.Equal(1, store.MostWritesAtOnce);
    }

    [Fact]
    public async Task A_waiter_that_gives_up_stops_waiting_while_the_rest_of_its_group_is_written()
    {
        var store = new GatedRecordStore();
        var (firstWrite, secondWrite) = (store.Hold(0), store.Hold(1));
        await using var writer = new RecordGroupWriter(store);
        var first = writer.SaveAsync(SampleRecords.Make(), Ct);
        await store.Started(0).WaitAsync(Patience);
        using var cancel = new CancellationTokenSource();
        var (abandoned, kept) = (SampleRecords.Make(), SampleRecords.Make());
        var gaveUp = writer.SaveAsync(abandoned, cancel.Token);
        var waiting = writer.SaveAsync(kept, Ct);
        firstWrite.SetResult();
        await store.Started(1).WaitAsync(Patience);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp.WaitAsync(Patience));
        Assert.False(waiting.IsCompleted);
        secondWrite.SetResult();
        Assert.True(await waiting.WaitAsync(Patience));
        Assert.True(await first);
        Assert.Equal([abandoned.BuildId, kept.BuildId], store.Groups[1].Select(r => r.BuildId));
    }

    [Fact]
    public async Task Stopping_writes_what_is_queued_and_then_refuses_records()
    {
        var store = new GatedRecordStore();
        var firstWrite = store.Hold(0);
        var writer = new RecordGroupWriter(store);
        var waits = new[] { writer.SaveAsync(SampleRecords.Make(), Ct) }.ToList();
        await store.Started(0).WaitAsync(Patience);
        waits.AddRange(Enumerable.Range(0, 3).Select(_ => writer.SaveAsync(SampleRecords.Make(), Ct)));

        var stopping = writer.DisposeAsync().AsTask();
        Assert.False(stopping.IsCompleted);
        firstWrite.SetResult();
        await stopping.WaitAsync(Patience);

        Assert.All(await Task.WhenAll(waits), Assert.True);
        Assert.Equal(4, store.Stored.Count);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => writer.SaveAsync(SampleRecords.Make(), Ct));
    }
}
