namespace Factory.Manifests;

/// <summary>A reader that refuses to go past a number of characters, whatever the source (a file, a chunked body).</summary>
internal sealed class BoundedTextReader(TextReader inner, long maxCharacters) : TextReader
{
    private long _read;

    public override int Peek() => inner.Peek();

    public override int Read()
    {
        var c = inner.Read();
        if (c >= 0) Count(1);
        return c;
    }

    public override int Read(char[] buffer, int index, int count)
    {
        var n = inner.Read(buffer, index, count);
        Count(n);
        return n;
    }

    public override int Read(Span<char> buffer)
    {
        var n = inner.Read(buffer);
        Count(n);
        return n;
    }

    private void Count(int n)
    {
        _read += n;
        if (_read > maxCharacters)
            throw new YamlLimitExceededException($"the document is larger than {maxCharacters:N0} characters");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
