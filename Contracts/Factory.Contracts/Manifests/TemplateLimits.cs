namespace Factory.Contracts.Manifests;

public sealed record TemplateLimits
{
    public int? MaxImageMb { get; init; }
}
