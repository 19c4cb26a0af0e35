namespace Factory.Planning.Registry;

public sealed record ResolvedImage(string Reference, string Digest);
