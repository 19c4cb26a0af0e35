namespace Factory.Executor.Engine;

/// <summary>When builds on this host take the <see cref="EngineBuildGate"/> (Executor:BuildGate).</summary>
public enum BuildGateMode
{
    /// <summary>On engines older than Docker 23, whose BuildKit cannot export inline cache from two builds at once.</summary>
    Auto,
    Always,
    Never,
}
