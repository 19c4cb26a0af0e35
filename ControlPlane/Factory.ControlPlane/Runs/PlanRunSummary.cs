namespace Factory.ControlPlane.Runs;

/// <summary>The same summary as `factory run --json`.</summary>
public sealed record PlanRunSummary(int Total, int Built, int Reused, int Passed, int Failed, int Expired, int DeadLettered)
{
    public static PlanRunSummary Of(PlanRunCounts c) => new(c.Total, c.Built, c.Reused, c.Passed, c.Failed, c.Expired, c.DeadLettered);
}
