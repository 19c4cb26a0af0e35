using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Factory.Manifests;

/// <summary>Remembers where the last parsed event ended, to place errors the scanner reports without a position.</summary>
internal sealed class PositionTrackingParser(IParser inner) : IParser
{
    public Mark LastEnd { get; private set; } = Mark.Empty;
    public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        var moved = inner.MoveNext();
        if (inner.Current is { } current) LastEnd = current.End;
        return moved;
    }
}
