namespace Factory.Signing;

/// <summary>
/// A signing key or keyring that cannot be used as it is: the message names the file and what is expected. Bad
/// set-up, never retried.
/// </summary>
public sealed class TrustSetupException(string message) : Exception(message);
