using Factory.Contracts.Messages;

namespace Factory.ControlPlane.Dispatch;

/// <summary>
/// The item becomes its key's build (<see cref="DispatchKind.Build"/>) or a test-only run of an image built before
/// (<see cref="DispatchKind.TestOnly"/>). The claim stands only if no other pass claimed the key meanwhile: the
/// uniqueness of a key in flight is where concurrent passes meet.
/// </summary>
public sealed record ClaimBuild(Guid RunId, int Seq, string Kind, ExecuteWorkItem Command) : DispatchDecision(RunId, Seq)
{
    public Guid BuildId => Command.BuildId;
    public string IdempotencyKey => Command.Item.IdempotencyKey;
}
