namespace Factory.Signing;

/// <summary>
/// The keyring a long-running service checks against. It is read again when a signature names a key it does not
/// hold, so a key added to the keyring (rotation, a new executor) is trusted without a restart; a key removed stays
/// trusted until the next restart.
/// </summary>
public sealed class TrustedKeys(string path) : IDisposable
{
    private readonly Lock _gate = new();
    private Keyring? _current;

    public string Path { get; } = path;

    public SignatureVerdict Verify(DsseEnvelope envelope)
    {
        var verdict = Current(reload: false).Verify(envelope);
        return verdict.Refusal == SignatureRefusal.UnknownKey ? Current(reload: true).Verify(envelope) : verdict;
    }

    private Keyring Current(bool reload)
    {
        lock (_gate)
        {
            // The keyring replaced is not disposed: a check on another thread may still hold it.
            if (_current is null || reload) _current = Keyring.Load(Path);
            return _current;
        }
    }

    public void Dispose()
    {
        lock (_gate) _current?.Dispose();
    }
}
