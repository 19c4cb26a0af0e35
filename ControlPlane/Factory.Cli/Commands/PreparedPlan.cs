using Factory.Planning;
using Factory.Planning.Registry;
using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Manifests;

namespace Factory.Cli.Commands;

internal sealed record PreparedPlan(ManifestStore Store, Plan Plan, IReadOnlyList<WorkItem> Items);
