using Factory.Messaging;

namespace Factory.ResultsConsumer;

public sealed class ResultsConsumerOptions
{
    public const string Section = "ResultsConsumer";
    public string StateDirectory { get; set; } = ".factory";
    /// <summary>
    /// The keyring results are checked against (Signing:Keyring, else ResultsConsumer:Keyring, else the default of
    /// <see cref="Factory.Signing.KeyringLocation"/>): a directory of trusted PEM public keys or one PEM file.
    /// </summary>
    public string? Keyring { get; set; }
    /// <summary>
    /// Results taken from the queue and recorded at once (ResultsConsumer:ConcurrentMessageLimit): the records of those
    /// that arrive together are written in one group, so this is also the largest group.
    /// </summary>
    public int ConcurrentMessageLimit { get; set; } = 64;
    /// <summary>Retries while the record store is away (ResultsConsumer:Retry).</summary>
    public RetryOptions Retry { get; set; } = new()
    {
        Limit = 10, MinInterval = TimeSpan.FromMilliseconds(200), MaxInterval = TimeSpan.FromSeconds(30), IntervalDelta = TimeSpan.FromSeconds(1),
    };
}
