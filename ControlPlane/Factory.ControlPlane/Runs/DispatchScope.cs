namespace Factory.ControlPlane.Runs;

/// <summary>Which open plans one dispatch pass looks at: all of them, or only those an event can have unblocked.</summary>
public sealed record DispatchScope(IReadOnlyCollection<Guid>? RunIds)
{
    public static DispatchScope All { get; } = new((IReadOnlyCollection<Guid>?)null);
    public static DispatchScope Of(IEnumerable<Guid> runIds) => new(runIds.Distinct().ToList());
    public bool IsEmpty => RunIds is { Count: 0 };
}
