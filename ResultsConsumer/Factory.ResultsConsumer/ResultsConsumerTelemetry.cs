using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Factory.ResultsConsumer;

/// <summary>
/// The results consumer's span ("record", in the item's trace: MassTransit carries it from the executor) and Meter:
/// factory_records_written_total{factory_pool, factory_status}, factory_results_refused_total{factory_refusal}.
/// </summary>
public static class ResultsConsumerTelemetry
{
    public const string Name = "Factory.ResultsConsumer";
    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> ResultsRefused = Meter.CreateCounter<long>("factory.results.refused", description: "Results not recorded because their record signature does not verify against the keyring, by why.");

    public static readonly Counter<long> RecordsWritten = Meter.CreateCounter<long>("factory.records.written", description: "Compatibility records written, by pool and status.");
}
