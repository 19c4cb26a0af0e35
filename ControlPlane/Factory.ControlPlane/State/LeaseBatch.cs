using System.Text.Json;
using Factory.ControlPlane.Dispatch;
using Factory.ControlPlane.Runs;
using Factory.Contracts;
using Factory.Contracts.Messages;

namespace Factory.ControlPlane.State;

/// <summary>What both plan-state stores do the same way with LeasePolicy's decisions on lapsed leases.</summary>
public static class LeaseBatch
{
    /// <summary>Builds whose record was found after all: completed as their lost notice would have completed them.</summary>
    public static IReadOnlyList<BuildCompletion> Completions(IEnumerable<LeaseDecision> decisions) =>
        decisions.OfType<CompleteFromRecord>().Select(c => new BuildCompletion(c.Build.BuildId, c.Build.IdempotencyKey, c.Status)).ToList();

    /// <summary>A build sent again: the command as it was first claimed (same build id), with its next attempt.</summary>
    public static ExecuteWorkItem Resend(string storedCommand, int attempt) =>
        JsonSerializer.Deserialize<ExecuteWorkItem>(storedCommand, FactoryJson.Options)! with { Attempt = attempt };
}
