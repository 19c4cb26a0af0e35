using MassTransit;

namespace Factory.UnitTests.Support;

public sealed class ExitProbeConsumer : IConsumer<ExitProbe>
{
    public Task Consume(ConsumeContext<ExitProbe> context) => Task.CompletedTask;
}
