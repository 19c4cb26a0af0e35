using Factory.Contracts.Failures;
using MassTransit;

namespace Factory.UnitTests.Support;

/// <summary>Fails every time, as the probe says: a simulator of failures the real services cannot be made to produce on demand.</summary>
public sealed class RetryProbeConsumer(RetryProbeAttempts attempts) : IConsumer<RetryProbe>
{
    public Task Consume(ConsumeContext<RetryProbe> context)
    {
        attempts.Add();
        throw context.Message.Failure switch
        {
            "transient" => new InfrastructureException("postgresql", "the database is away"),
            "denied" => new InfrastructureException("object storage http://s3", "access denied") { Transient = false },
            _ => new InvalidOperationException("a bug"),
        };
    }
}
