using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Factory.Signing;

public sealed record DsseSignature([property: JsonPropertyName("keyid")] string KeyId, [property: JsonPropertyName("sig")] string Sig);
