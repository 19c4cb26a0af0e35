namespace Factory.ControlPlane.Dispatch;

/// <summary>Send the build again, same build id, next attempt: a record is still made once per build id.</summary>
public sealed record Redispatch(LapsedBuild Build, int Attempt) : LeaseDecision(Build);
