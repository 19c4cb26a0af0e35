namespace Factory.IntegrationTests.Telemetry;

/// <summary>
/// The protobuf wire format, just enough to read OTLP (OpenTelemetry.Proto is not served here): a message is a run of
/// fields, each a key (field number, wire type) and a varint, a fixed 64- or 32-bit value, or length-delimited bytes.
/// </summary>
public static class ProtobufFields
{
    public readonly record struct Field(int Number, int WireType, ulong Value, ArraySegment<byte> Bytes)
    {
        public string Text => System.Text.Encoding.UTF8.GetString(Bytes);
        public string Hex => Convert.ToHexStringLower(Bytes);
    }

    public static IEnumerable<Field> Read(ArraySegment<byte> message)
    {
        var (data, at, end) = (message.Array!, message.Offset, message.Offset + message.Count);
        while (at < end)
        {
            var key = Varint(data, ref at);
            var (number, wire) = ((int)(key >> 3), (int)(key & 7));
            switch (wire)
            {
                case 0:
                    yield return new Field(number, wire, Varint(data, ref at), default);
                    break;
                case 1:
                    yield return new Field(number, wire, BitConverter.ToUInt64(data, at), default);
                    at += 8;
                    break;
                case 2:
                    var length = (int)Varint(data, ref at);
                    yield return new Field(number, wire, 0, new ArraySegment<byte>(data, at, length));
                    at += length;
                    break;
                case 5:
                    yield return new Field(number, wire, BitConverter.ToUInt32(data, at), default);
                    at += 4;
                    break;
                default:
                    throw new FormatException($"protobuf wire type {wire} at byte {at} is not supported");
            }
        }
    }

    private static ulong Varint(byte[] data, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
    }
}
