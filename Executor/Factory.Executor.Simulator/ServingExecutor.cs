namespace Factory.Executor.Simulator;

/// <summary>An executor the control plane has heard from lately, as GET /api/executors lists it.</summary>
public sealed record ServingExecutor(string ExecutorId, string Pool, string Host);
