namespace Factory.ControlPlane.Review;

/// <summary>
/// Why a record was made: Verdict is "first" (no earlier record of the manifest on the platform), "rebuilt" (new
/// inputs: <see cref="Changes"/> against the nearest earlier record), "retested" (an image of the key existed: the
/// suite changed, or its tests had failed) or "rerun" (the same inputs had passed: run again to measure flakiness).
/// </summary>
public sealed record BuildExplanation(string Verdict, string Text, Guid? ComparedWith, IReadOnlyList<InputChange> Changes)
{
    public const string First = "first";
    public const string Rebuilt = "rebuilt";
    public const string Retested = "retested";
    public const string Rerun = "rerun";
}
