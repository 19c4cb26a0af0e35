namespace Factory.IntegrationTests.Telemetry;

/// <summary>A span as an OTLP exporter sent it: the service (resource service.name), ids in hex, name and string/int attributes.</summary>
public sealed record ReceivedSpan(string Service, string Scope, string TraceId, string SpanId, string ParentSpanId, string Name,
    IReadOnlyDictionary<string, string> Attributes);
