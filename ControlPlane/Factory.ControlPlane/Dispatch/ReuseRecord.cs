namespace Factory.ControlPlane.Dispatch;

/// <summary>A passing record of the item's key and test suite exists: the item is done, pointing at it.</summary>
public sealed record ReuseRecord(Guid RunId, int Seq, Guid RecordBuildId) : DispatchDecision(RunId, Seq);
