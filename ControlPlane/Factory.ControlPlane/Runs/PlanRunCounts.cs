namespace Factory.ControlPlane.Runs;

/// <summary>How many items of a plan are in each state, and how many of the finished ones were built for it.</summary>
public sealed record PlanRunCounts(int Total, int Pending, int Queued, int Running, int Passed, int Failed, int Reused, int Expired, int DeadLettered,
    int Cancelled, int Built)
{
    public bool Done => Pending + Queued + Running == 0;
}
