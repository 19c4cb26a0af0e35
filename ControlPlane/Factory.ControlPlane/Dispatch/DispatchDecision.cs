namespace Factory.ControlPlane.Dispatch;

/// <summary>What one dispatch pass does with one pending item; an item with no decision waits.</summary>
public abstract record DispatchDecision(Guid RunId, int Seq);
