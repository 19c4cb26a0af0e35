namespace Factory.Evidence;

public enum ObjectStorageFailure
{
    /// <summary>Worth another try: connection refused or reset, timeout, 5xx, throttling.</summary>
    Transient,
    /// <summary>The credentials are wrong or lack the right: retrying changes nothing.</summary>
    Denied,
    /// <summary>No such object or bucket.</summary>
    NotFound,
    /// <summary>Anything else the store refused (bad request, ...): not retried.</summary>
    Permanent,
}
