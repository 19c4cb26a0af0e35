using Factory.Contracts.Messages;

namespace Factory.ControlPlane.Runs;

/// <summary>An item as a plan is stored: pending, or already reused at intake (pointing at the record it reuses).</summary>
public sealed record NewPlanItem(WorkItem Item, Guid? ReusedBuildId = null);
