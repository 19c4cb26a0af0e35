namespace Factory.Executor.Engine;

/// <summary>
/// One regular file of a <see cref="BuildContext"/>: its path relative to the context root with '/' separators, its
/// bytes, and the mode and modification time it had on disk, which a COPY carries into the image.
/// </summary>
public sealed record BuildContextFile(string Path, byte[] Content, UnixFileMode Mode, DateTimeOffset Modified);
