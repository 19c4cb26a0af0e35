using System.Globalization;

namespace Factory.Executor.Engine;

/// <summary>A build's hold on the <see cref="EngineBuildGate"/>: released on dispose. Without a file, the gate could not be opened and Problem says why.</summary>
public sealed class BuildGatePass(FileStream? file, TimeSpan waited, string? problem) : IDisposable
{
    public TimeSpan Waited { get; } = waited;
    public string? Problem { get; } = problem;

    /// <summary>What the build log says of the gate: why it was not held, or how long the build waited for it; null when there is nothing worth a line.</summary>
    public string? LogLine() =>
        Problem is not null ? $"[factory: {Problem}]"
        : Waited >= TimeSpan.FromMilliseconds(100)
            ? string.Create(CultureInfo.InvariantCulture, $"[factory: waited {Waited.TotalSeconds:F1} s for this host's build gate: this engine's BuildKit builds one at a time (Executor:BuildGate)]")
            : null;

    public void Dispose() => file?.Dispose();
}
