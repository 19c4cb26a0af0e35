using System.Runtime.InteropServices;
using System.Text.Json;

namespace Factory.Bench;

public sealed record Machine(int Cores, DateTimeOffset Date, string Os, string Runtime, string? Broker);
