using Factory.ControlPlane.Planning;
using Factory.ControlPlane.Registry;
using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Manifests;

namespace Factory.Cli.Commands;

internal sealed record PreparedPlan(ManifestStore Store, Plan Plan, IReadOnlyList<WorkItem> Items);
