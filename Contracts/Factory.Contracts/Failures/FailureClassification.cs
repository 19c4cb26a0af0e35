namespace Factory.Contracts.Failures;

/// <summary>How a work item that was given up on is labelled in its error file and dead-letter notice.</summary>
public static class FailureClassification
{
    /// <summary>Our infrastructure (engine, registry, storage, broker, database) failed.</summary>
    public const string Infrastructure = "infrastructure";
    /// <summary>The message is not a work item this executor can read (schema version, missing item).</summary>
    public const string UnsupportedMessage = "unsupported_message";
    /// <summary>A result whose record signature does not verify against the keyring: never recorded, never retried.</summary>
    public const string UntrustedResult = "untrusted_result";
    /// <summary>Anything else: a bug, or input that should have been refused earlier.</summary>
    public const string InternalError = "internal_error";
}
