using System.Reflection;

namespace Factory.UnitTests;

/// <summary>
/// The libraries' boundaries, as their compiled references show them (an assembly is referenced only when a type of it
/// is used): planning has no bus and no database, the executor plans without the control plane and never touches a
/// database, and the control plane reads records without the results consumer.
/// </summary>
public sealed class ProjectBoundaryTests
{
    private static IReadOnlyList<string> References(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Planning_uses_neither_a_bus_nor_a_database_nor_the_control_plane()
    {
        var references = References(typeof(Factory.Planning.PlanPreparer).Assembly);
        Assert.Contains("Factory.Manifests", references); // what it plans over: the assertion below reads real references
        Assert.DoesNotContain(references, r => r.StartsWith("MassTransit", StringComparison.Ordinal) || r.StartsWith("Npgsql", StringComparison.Ordinal)
            || r is "Microsoft.Data.Sqlite" or "Factory.ControlPlane" or "Factory.Records");
    }

    [Fact]
    public void The_executor_plans_its_prewarm_without_the_control_plane_and_touches_no_database()
    {
        var references = References(typeof(Factory.Executor.WorkItemPipeline).Assembly);
        Assert.Contains("Factory.Planning", references);
        Assert.DoesNotContain(references, r => r is "Factory.ControlPlane" or "Factory.ResultsConsumer" or "Factory.Records" or "Microsoft.Data.Sqlite"
            || r.StartsWith("Npgsql", StringComparison.Ordinal));
    }

    [Fact]
    public void The_control_plane_reads_records_through_the_record_library_not_the_results_consumer()
    {
        var references = References(typeof(Factory.ControlPlane.Runs.WorkDispatcher).Assembly);
        Assert.Contains("Factory.Records", references);
        Assert.DoesNotContain(references, r => r is "Factory.ResultsConsumer" or "Factory.Executor" or "Factory.Evidence");
    }
}
