namespace Factory.UnitTests.Support;

/// <summary>
/// A fake bus publish for the group publisher's concurrency: a publish can be held until the test lets it go, made to
/// fail, or left hanging until its token ends it (what a real broker cannot be made to do on cue). It keeps every
/// message it was given, in order.
/// </summary>
public sealed class GatedPublish<TMessage>
{
    private readonly object _lock = new();
    private readonly List<TMessage> _messages = [];
    private readonly Dictionary<int, TaskCompletionSource> _gates = [];
    private readonly Dictionary<int, TaskCompletionSource> _started = [];
    private int _inFlight;

    /// <summary>Decides, per publish (numbered from 0), to fail it by throwing; null lets it through.</summary>
    public Func<int, Exception?> Failure { get; init; } = _ => null;

    /// <summary>Publishes under way at any moment: at most one is what a single publishing loop promises.</summary>
    public int MostAtOnce { get; private set; }

    public IReadOnlyList<TMessage> Messages { get { lock (_lock) return _messages.ToList(); } }

    /// <summary>Publish number <paramref name="call"/> waits until the returned source is completed, or its token ends.</summary>
    public TaskCompletionSource Hold(int call) { lock (_lock) return Gate(_gates, call); }

    /// <summary>Completes when publish number <paramref name="call"/> has been handed its message.</summary>
    public Task Started(int call) { lock (_lock) return Gate(_started, call).Task; }

    public async Task PublishAsync(TMessage message, CancellationToken ct)
    {
        int call;
        Task held;
        lock (_lock)
        {
            call = _messages.Count;
            _messages.Add(message);
            MostAtOnce = Math.Max(MostAtOnce, ++_inFlight);
            held = _gates.TryGetValue(call, out var gate) ? gate.Task : Task.CompletedTask;
            Gate(_started, call).TrySetResult();
        }
        try
        {
            // A hold no test lets go of ends with the publish's own token, or after a minute, so no run hangs on it.
            await held.WaitAsync(TimeSpan.FromSeconds(60), ct);
            await Task.Yield();
            if (Failure(call) is { } failure) throw failure;
        }
        finally
        {
            lock (_lock) _inFlight--;
        }
    }

    private static TaskCompletionSource Gate(Dictionary<int, TaskCompletionSource> gates, int call)
    {
        if (!gates.TryGetValue(call, out var gate)) gates[call] = gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return gate;
    }
}
