namespace Factory.ControlPlane.Runs;

/// <summary>A plan the control plane took: its submission id, how many items it has and how many were reused at once.</summary>
public sealed record AcceptedPlan(Guid Id, string PlanId, int Items, int Reused);
