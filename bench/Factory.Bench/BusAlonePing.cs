namespace Factory.Bench;

/// <summary><see cref="BusAlone"/>'s message: a payload the size of the raw row's.</summary>
public sealed record BusAlonePing
{
    public int Number { get; init; }
    public string Payload { get; init; } = "";
}
