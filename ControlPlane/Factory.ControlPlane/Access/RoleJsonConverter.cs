using System.Text.Json;
using System.Text.Json.Serialization;

namespace Factory.ControlPlane.Access;

/// <summary>A role in JSON is its name ("operator"), as on the command line and in the database.</summary>
public sealed class RoleJsonConverter : JsonConverter<Role>
{
    public override Role Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Roles.TryParse(reader.GetString(), out var role) ? role : throw new JsonException($"role: expected one of {Roles.Accepted}");

    public override void Write(Utf8JsonWriter writer, Role value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name());
}
