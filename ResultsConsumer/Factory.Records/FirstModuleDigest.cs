namespace Factory.Records;

/// <summary>A module version's content digest, and the build that recorded it first.</summary>
public sealed record FirstModuleDigest(string Name, string Version, string ContentDigest, Guid FirstBuildId);
