namespace Factory.Testing;

/// <summary>What <see cref="Poll"/> ended with: the last answer, and whether it was the one awaited.</summary>
public readonly record struct Polled<T>(T Answer, bool Met);
