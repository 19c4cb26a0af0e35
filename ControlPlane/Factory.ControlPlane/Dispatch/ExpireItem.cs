namespace Factory.ControlPlane.Dispatch;

/// <summary>The item's deadline passed before it was dispatched: it is recorded expired under a build id of its own, and nothing is sent.</summary>
public sealed record ExpireItem(Guid RunId, int Seq, Guid BuildId) : DispatchDecision(RunId, Seq);
