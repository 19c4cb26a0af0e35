namespace Factory.IntegrationTests.Telemetry;

/// <summary>
/// Reads an OTLP ExportTraceServiceRequest (opentelemetry/proto/collector/trace/v1): resource_spans = 1 →
/// {resource = 1 → attributes = 1, scope_spans = 2 → {scope = 1 → name = 1, spans = 2}}; a span is trace_id = 1,
/// span_id = 2, parent_span_id = 4, name = 5, attributes = 9; a KeyValue is key = 1, value = 2 → AnyValue
/// (string_value = 1, int_value = 3).
/// </summary>
public static class OtlpTraceRequest
{
    public static IEnumerable<ReceivedSpan> Spans(byte[] body)
    {
        foreach (var resourceSpans in ProtobufFields.Read(body).Where(f => f.Number == 1))
        {
            var fields = ProtobufFields.Read(resourceSpans.Bytes).ToList();
            var resource = Dictionary(fields.Where(f => f.Number == 1).SelectMany(f => Attributes(ProtobufFields.Read(f.Bytes), 1)));
            var service = resource.GetValueOrDefault("service.name", "");
            foreach (var scopeSpans in fields.Where(f => f.Number == 2))
            {
                var scopeFields = ProtobufFields.Read(scopeSpans.Bytes).ToList();
                var scope = scopeFields.Where(f => f.Number == 1).SelectMany(f => ProtobufFields.Read(f.Bytes)).FirstOrDefault(f => f.Number == 1).Bytes is { Count: > 0 } name
                    ? System.Text.Encoding.UTF8.GetString(name) : "";
                foreach (var span in scopeFields.Where(f => f.Number == 2))
                    yield return Span(service, scope, ProtobufFields.Read(span.Bytes).ToList());
            }
        }
    }

    private static ReceivedSpan Span(string service, string scope, List<ProtobufFields.Field> fields)
    {
        string Hex(int number) => fields.FirstOrDefault(f => f.Number == number).Bytes is { Count: > 0 } b ? Convert.ToHexStringLower(b) : "";
        return new ReceivedSpan(service, scope, Hex(1), Hex(2), Hex(4), fields.First(f => f.Number == 5).Text,
            Dictionary(Attributes(fields, 9)));
    }

    private static Dictionary<string, string> Dictionary(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var result = new Dictionary<string, string>();
        foreach (var (k, v) in pairs) result[k] = v;
        return result;
    }

    /// <summary>The KeyValue fields numbered <paramref name="number"/> (1 in a Resource, 9 in a Span).</summary>
    private static IEnumerable<KeyValuePair<string, string>> Attributes(IEnumerable<ProtobufFields.Field> fields, int number)
    {
        foreach (var kv in fields.Where(f => f.Number == number && f.WireType == 2))
        {
            var parts = ProtobufFields.Read(kv.Bytes).ToList();
            if (parts.FirstOrDefault(p => p.Number == 1 && p.WireType == 2) is not { Bytes.Count: > 0 } key) continue;
            if (parts.FirstOrDefault(p => p.Number == 2 && p.WireType == 2) is not { Bytes.Array: not null } value) continue;
            var any = ProtobufFields.Read(value.Bytes).FirstOrDefault();
            var text = any.Number switch
            {
                1 => any.Text,
                3 => ((long)any.Value).ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            };
            if (text is not null) yield return new(key.Text, text);
        }
    }
}
