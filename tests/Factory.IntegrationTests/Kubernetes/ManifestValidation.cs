using System.Text.Json;

namespace Factory.IntegrationTests.Kubernetes;

/// <summary>What tests/k8s/validate.mjs said of a rendering: its exit code, the objects as JSON, and each object's schema problems.</summary>
public sealed record ManifestValidation(int ExitCode, IReadOnlyList<JsonElement> Objects, IReadOnlyList<string> Problems, string Output);
