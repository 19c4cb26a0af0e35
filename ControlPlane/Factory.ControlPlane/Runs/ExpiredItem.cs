using Factory.Contracts.Messages;

namespace Factory.ControlPlane.Runs;

/// <summary>An item a dispatch pass expired: its record is written under <see cref="BuildId"/> once the pass commits.</summary>
public sealed record ExpiredItem(WorkItem Item, Guid BuildId);
