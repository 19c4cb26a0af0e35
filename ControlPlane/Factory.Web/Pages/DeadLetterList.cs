using Factory.ControlPlane.DeadLetters;

namespace Factory.Web.Pages;

/// <summary>The dead letters, when this process has a broker (the fleet), or why they could not be read.</summary>
public sealed record DeadLetterList(bool Available, IReadOnlyList<DeadLetter> Items, string? Error);
