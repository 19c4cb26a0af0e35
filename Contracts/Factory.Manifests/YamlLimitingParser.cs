using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Factory.Manifests;

/// <summary>
/// Passes parser events on while the document stays inside <see cref="YamlLimits"/>, and stops at the first event that
/// goes past one (before the representation model recurses into it). Checks cancellation on every event, so a
/// request that went away stops its parse. An alias used as a mapping key is refused outright: comparing such keys
/// walks the whole aliased tree for each one.
/// </summary>
internal sealed class YamlLimitingParser(IParser inner, YamlLimits limits, CancellationToken cancellation) : IParser
{
    private readonly Stack<Frame> _open = new();
    private readonly Dictionary<string, long> _anchorSizes = new(StringComparer.Ordinal);
    private long _nodes;
    private int _aliases;

    /// <summary>An open collection: whether it is a mapping, whether its next node is a key, where its anchor started.</summary>
    private sealed class Frame(bool mapping, string? anchor, long startNodes)
    {
        public bool Mapping { get; } = mapping;
        public bool ExpectKey { get; set; } = true;
        public string? Anchor { get; } = anchor;
        public long StartNodes { get; } = startNodes;
    }

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        cancellation.ThrowIfCancellationRequested();
        if (!inner.MoveNext()) return false;
        switch (inner.Current)
        {
            case AnchorAlias alias:
                var isKey = AtKey();
                NodeDone();
                if (isKey) Fail($"an alias (*{alias.Value}) used as a mapping key, which is not accepted", alias);
                if (++_aliases > limits.MaxAliases) Fail($"more than {limits.MaxAliases:N0} aliases", alias);
                Add(_anchorSizes.GetValueOrDefault(alias.Value.Value, 1), alias);
                break;
            case Scalar scalar:
                NodeDone();
                Add(1, scalar);
                Remember(scalar.Anchor, 1);
                break;
            case SequenceStart start:
                Open(false, start.Anchor, start);
                break;
            case MappingStart start:
                Open(true, start.Anchor, start);
                break;
            case SequenceEnd or MappingEnd:
                var frame = _open.Pop();
                Remember(frame.Anchor, _nodes - frame.StartNodes);
                NodeDone();
                break;
        }
        return true;
    }

    private bool AtKey() => _open.TryPeek(out var frame) && frame.Mapping && frame.ExpectKey;

    /// <summary>A node (key or value) of the enclosing mapping is complete: a key is followed by a value, and so on.</summary>
    private void NodeDone()
    {
        if (_open.TryPeek(out var frame) && frame.Mapping) frame.ExpectKey = !frame.ExpectKey;
    }

    private void Open(bool mapping, AnchorName anchor, ParsingEvent at)
    {
        // The collection is itself a node of its parent; its key/value turn flips when it closes (NodeDone on End).
        Add(1, at);
        if (_open.Count >= limits.MaxDepth) Fail($"nested deeper than {limits.MaxDepth} levels", at);
        _open.Push(new Frame(mapping, anchor.IsEmpty ? null : anchor.Value, _nodes - 1));
    }

    private void Remember(AnchorName anchor, long size)
    {
        if (!anchor.IsEmpty) _anchorSizes[anchor.Value] = Math.Max(size, 1);
    }

    private void Add(long nodes, ParsingEvent at)
    {
        _nodes += nodes;
        if (_nodes > limits.MaxNodes) Fail($"more than {limits.MaxNodes:N0} nodes (aliases counted as what they stand for)", at);
    }

    private static void Fail(string what, ParsingEvent at) =>
        throw new YamlLimitExceededException($"the document has {what}, at line {at.Start.Line}, column {at.Start.Column}");
}
