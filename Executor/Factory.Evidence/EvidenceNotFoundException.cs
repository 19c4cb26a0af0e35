namespace Factory.Evidence;

/// <summary>The URI names no object in the store that holds URIs of its kind.</summary>
public sealed class EvidenceNotFoundException(string uri, string where)
    : Exception($"evidence {uri} not found in {where}")
{
    public string Uri { get; } = uri;
}
