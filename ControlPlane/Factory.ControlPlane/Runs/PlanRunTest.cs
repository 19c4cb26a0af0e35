namespace Factory.ControlPlane.Runs;

public sealed record PlanRunTest(string Name, string Status);
