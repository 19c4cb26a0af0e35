namespace Factory.ControlPlane.Dispatch;

/// <summary>The item's key is already being built for the same test suite: the item completes with that build.</summary>
public sealed record AttachToBuild(Guid RunId, int Seq, Guid BuildId) : DispatchDecision(RunId, Seq);
