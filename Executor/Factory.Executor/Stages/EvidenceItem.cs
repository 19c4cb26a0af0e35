namespace Factory.Executor.Stages;

/// <summary>
/// A piece of evidence made by a stage, not stored yet: its bytes, or with <see cref="File"/> a file to store as a
/// stream (a test's full output, too large to hold; Content is then empty).
/// </summary>
public sealed record EvidenceItem(string Kind, string Name, byte[] Content)
{
    public string? File { get; init; }

    public static EvidenceItem FromFile(string kind, string name, string path) => new(kind, name, []) { File = path };
}
