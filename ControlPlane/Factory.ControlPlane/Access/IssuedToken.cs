namespace Factory.ControlPlane.Access;

/// <summary>A token just created: <see cref="Secret"/> is the bearer value, shown once and never stored.</summary>
public sealed record IssuedToken(string Secret, ApiToken Token);
