namespace Factory.UnitTests.Support;

/// <summary>
/// A fake bus publish for the group publisher's concurrency (<see cref="CallGates"/>): a publish can be held until the
/// test lets it go, made to fail, or left hanging until its token ends it. It keeps every message it was given, in order.
/// </summary>
public sealed class GatedPublish<TMessage>
{
    private readonly CallGates _gates = new();
    private readonly List<TMessage> _messages = [];

    /// <summary>Decides, per publish (numbered from 0), to fail it by throwing; null lets it through.</summary>
    public Func<int, Exception?> Failure { get => _gates.Failure; init => _gates.Failure = value; }

    /// <summary>Publishes under way at any moment: at most one is what a single publishing loop promises.</summary>
    public int MostAtOnce => _gates.MostAtOnce;

    public IReadOnlyList<TMessage> Messages { get { lock (_messages) return _messages.ToList(); } }

    /// <summary>Publish number <paramref name="call"/> waits until the returned source is completed, or its token ends.</summary>
    public TaskCompletionSource Hold(int call) => _gates.Hold(call);

    /// <summary>Completes when publish number <paramref name="call"/> has been handed its message.</summary>
    public Task Started(int call) => _gates.Started(call);

    public Task PublishAsync(TMessage message, CancellationToken ct) =>
        _gates.PassAsync(_ => { lock (_messages) _messages.Add(message); }, () => true, ct);
}
