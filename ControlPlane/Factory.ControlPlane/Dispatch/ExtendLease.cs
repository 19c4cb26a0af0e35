namespace Factory.ControlPlane.Dispatch;

/// <summary>Nothing suggests the build is lost (its message may still wait on the queue): look again after <see cref="Until"/>.</summary>
public sealed record ExtendLease(LapsedBuild Build, DateTimeOffset Until) : LeaseDecision(Build);
