using System.Text.RegularExpressions;
using Factory.Manifests;

namespace Factory.Planning;

public sealed record PoolDefinition(string Name, string Platform, string? Accelerator = null);
