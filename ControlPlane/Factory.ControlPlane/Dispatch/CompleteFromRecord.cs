namespace Factory.ControlPlane.Dispatch;

/// <summary>The build has a record after all (the notice that it landed was lost): complete its items with the record's status.</summary>
public sealed record CompleteFromRecord(LapsedBuild Build, string Status) : LeaseDecision(Build);
