namespace Factory.Manifests;

/// <summary>A YAML document went past one of <see cref="YamlLimits"/>; the message says which, and where.</summary>
public sealed class YamlLimitExceededException(string message) : Exception(message);
