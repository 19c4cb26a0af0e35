namespace Factory.Manifests;

/// <summary>
/// What one YAML document may cost to read. Manifests and plans are small; these bounds keep a hostile document (an
/// alias bomb, deep nesting, a huge file) from taking the stack, the memory or the cores of whoever reads it.
/// Nodes count aliases expanded, so a billion-laughs document is refused by its expanded size, not its text size.
/// </summary>
public sealed record YamlLimits
{
    public long MaxCharacters { get; init; } = 4 * 1024 * 1024;
    public int MaxDepth { get; init; } = 64;
    public long MaxNodes { get; init; } = 200_000;
    public int MaxAliases { get; init; } = 1_000;

    public static YamlLimits Default { get; } = new();
}
