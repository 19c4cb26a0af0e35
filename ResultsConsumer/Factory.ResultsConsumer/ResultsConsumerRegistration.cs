using Factory.Contracts.Messages;
using Factory.Messaging;
using Factory.Records;
using Factory.Signing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Factory.ResultsConsumer;

public static class ResultsConsumerRegistration
{
    /// <summary>Registers the results consumer on the bus (its queue: "results"), with default options unless some were registered.</summary>
    public static IBusRegistrationConfigurator AddResultsConsumer(this IBusRegistrationConfigurator bus)
    {
        bus.TryAddSingleton(TimeProvider.System);
        bus.TryAddSingleton(new ResultsConsumerOptions());
        bus.TryAddSingleton(provider => new TrustedKeys(provider.GetRequiredService<ResultsConsumerOptions>().Keyring ?? KeyringLocation.Default()));
        bus.TryAddSingleton(provider => new RecordGroupWriter(provider.GetRequiredService<ICompatibilityRecordStore>()));
        bus.AddGroupPublisher<CompatibilityRecorded, CompatibilityRecordedGroup>(records => new CompatibilityRecordedGroup { Records = records });
        bus.AddConsumer<RecordWorkItemResultConsumer, RecordWorkItemResultConsumerDefinition>();
        return bus;
    }
}
