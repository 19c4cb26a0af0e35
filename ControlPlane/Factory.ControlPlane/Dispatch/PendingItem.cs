using Factory.Contracts.Messages;

namespace Factory.ControlPlane.Dispatch;

/// <summary>An item of a plan that is not dispatched yet.</summary>
public sealed record PendingItem(int Seq, WorkItem Item);
