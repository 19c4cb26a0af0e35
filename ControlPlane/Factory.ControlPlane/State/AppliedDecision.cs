using Factory.ControlPlane.Dispatch;

namespace Factory.ControlPlane.State;

/// <summary>A dispatch decision that stands, as the item row it writes: its new state, dispatch kind and build, and whether it is done.</summary>
public sealed record AppliedDecision(DispatchDecision Decision, string State, string Kind, Guid BuildId, bool Finished);
