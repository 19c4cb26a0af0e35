namespace Factory.UnitTests.Support;

/// <summary>
/// The numbered calls (from 0) into a fake whose concurrency a test drives: a call can be held until the test lets it
/// go, or made to fail (what a real database or broker cannot be made to do on cue), and the calls running at once are
/// counted. Shared by the fakes behind the group commit's two users (<see cref="GatedRecordStore"/>, <see cref="GatedPublish{TMessage}"/>).
/// </summary>
public sealed class CallGates
{
    private readonly object _lock = new();
    private readonly Dictionary<int, TaskCompletionSource> _holds = [];
    private readonly Dictionary<int, TaskCompletionSource> _started = [];
    private int _calls, _inFlight, _mostAtOnce;

    /// <summary>Decides, per call, to fail it by throwing; null lets it through.</summary>
    public Func<int, Exception?> Failure { get; set; } = _ => null;

    /// <summary>The most calls running at one moment: at most one is what a single commit loop promises.</summary>
    public int MostAtOnce { get { lock (_lock) return _mostAtOnce; } }

    /// <summary>Call number <paramref name="call"/> waits until the returned source is completed (or failed), or its token ends.</summary>
    public TaskCompletionSource Hold(int call) { lock (_lock) return Gate(_holds, call); }

    /// <summary>Completes when call number <paramref name="call"/> has begun.</summary>
    public Task Started(int call) { lock (_lock) return Gate(_started, call).Task; }

    /// <summary>
    /// Passes one call: <paramref name="enter"/> runs first with its number, under the gates' lock (so what a fake records
    /// is in call order); then the call waits for its hold, fails if <see cref="Failure"/> says so, and otherwise answers
    /// <paramref name="leave"/>, still counted as running.
    /// </summary>
    public async Task<T> PassAsync<T>(Action<int> enter, Func<T> leave, CancellationToken ct)
    {
        int call;
        Task held;
        lock (_lock)
        {
            call = _calls++;
            enter(call);
            _mostAtOnce = Math.Max(_mostAtOnce, ++_inFlight);
            held = _holds.TryGetValue(call, out var hold) ? hold.Task : Task.CompletedTask;
            Gate(_started, call).TrySetResult();
        }
        try
        {
            // A hold no test lets go of (the test failed first) ends after a minute, so that no run hangs on it.
            await held.WaitAsync(TimeSpan.FromSeconds(60), ct);
            await Task.Yield();
            if (Failure(call) is { } failure) throw failure;
            return leave();
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
