namespace Factory.ControlPlane.Dispatch;

/// <summary>What happens to a build whose lease lapsed.</summary>
public abstract record LeaseDecision(LapsedBuild Build);
