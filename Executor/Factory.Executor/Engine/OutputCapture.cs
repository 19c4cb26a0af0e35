using System.Globalization;
using System.Text;

namespace Factory.Executor.Engine;

/// <summary>
/// Keeps the head and the tail of a stream of output, however long it is and whether or not it has lines: the memory
/// it takes is bounded by its <see cref="OutputLimits"/>, never by the output. What is cut is said by a marker line
/// (<see cref="Marker"/>) where it was. With a <see cref="OutputSpool"/>, every byte also goes on to it (the whole
/// output, to disk). <see cref="Text"/> makes one string and no other copy of what was kept: a test's output is
/// the largest thing an executor handles, and each copy of a few MB is garbage the GC may leave standing. Not
/// thread-safe: one writer at a time.
/// </summary>
public sealed class OutputCapture(OutputLimits limits, OutputSpool? spool = null)
{
    // A cut moves back (head) or forward (tail) to a line boundary found this close to it; further means one long line, cut mid-line.
    private const int LineSearch = 64 * 1024;
    private byte[] _head = [];
    private int _headLength;
    private byte[]? _tail;
    // Where the ring's next byte goes; once it is full, also where its oldest byte is.
    private int _at;
    private long _tailWritten;

    public OutputCapture() : this(OutputLimits.Default) { }

    /// <summary>Every byte written, kept or not.</summary>
    public long TotalBytes { get; private set; }

    public static string Marker(long cutBytes) => $"[… {cutBytes.ToString(CultureInfo.InvariantCulture)} bytes cut …]";

    public void Write(ReadOnlySpan<byte> data)
    {
        spool?.Write(data);
        TotalBytes += data.Length;
        if (_headLength < limits.HeadBytes)
        {
            var take = Math.Min(data.Length, limits.HeadBytes - _headLength);
            if (_head.Length < _headLength + take)
                Array.Resize(ref _head, (int)Math.Min(limits.HeadBytes, Math.Max(_headLength + take, Math.Max(4096, (long)_head.Length * 2))));
            data[..take].CopyTo(_head.AsSpan(_headLength));
            _headLength += take;
            data = data[take..];
        }
        if (data.IsEmpty || limits.TailBytes == 0) return;
        // The ring holds the last TailBytes written after the head: only its last TailBytes matter.
        _tail ??= new byte[limits.TailBytes];
        _tailWritten += data.Length;
        if (data.Length >= _tail.Length)
        {
            data[^_tail.Length..].CopyTo(_tail);
            _at = 0;
            return;
        }
        var first = Math.Min(data.Length, _tail.Length - _at);
        data[..first].CopyTo(_tail.AsSpan(_at));
        data[first..].CopyTo(_tail);
        _at = (_at + data.Length) % _tail.Length;
    }

    /// <summary>Bytes left out of <see cref="Text"/>, the marker line aside.</summary>
    public long CutBytes => Split().Cut;

    /// <summary>The head, then a marker line saying how many bytes were cut (only when some were), then the tail.</summary>
    public string Text()
    {
        var (headEnd, tailStart, cut) = Split();
        var head = _head.AsSpan(0, headEnd);
        var tail = Tail()[tailStart..];
        var marker = MarkerLine(head, cut);
        var length = Encoding.UTF8.GetCharCount(head) + marker.Length + Encoding.UTF8.GetCharCount(tail);
        return string.Create(length, (Head: _head, headEnd, Tail: _tail ?? [], tailStart, TailEnd: tailStart + tail.Length, marker), static (chars, kept) =>
        {
            var at = Encoding.UTF8.GetChars(kept.Head.AsSpan(0, kept.headEnd), chars);
            kept.marker.CopyTo(chars[at..]);
            at += kept.marker.Length;
            Encoding.UTF8.GetChars(kept.Tail.AsSpan(kept.tailStart, kept.TailEnd - kept.tailStart), chars[at..]);
        });
    }

    /// <summary>
    /// What <see cref="Text"/> holds, as the bytes written (output that is not UTF-8 stays as it was), to
    /// <paramref name="target"/>: the head, the marker line, the tail. Returns how many bytes, and the last of them.
    /// </summary>
    public (long Bytes, byte Last) CopyKeptTo(Stream target)
    {
        var (headEnd, tailStart, cut) = Split();
        var head = _head.AsSpan(0, headEnd);
        var tail = Tail()[tailStart..];
        var marker = Encoding.UTF8.GetBytes(MarkerLine(head, cut));
        target.Write(head);
        target.Write(marker);
        target.Write(tail);
        var last = !tail.IsEmpty ? tail[^1] : marker.Length > 0 ? marker[^1] : !head.IsEmpty ? head[^1] : (byte)0;
        return (head.Length + marker.Length + tail.Length, last);
    }

    /// <summary>The marker line, on a line of its own after the head; empty when nothing was cut.</summary>
    private static string MarkerLine(ReadOnlySpan<byte> head, long cut) =>
        cut == 0 ? "" : (!head.IsEmpty && head[^1] != (byte)'\n' ? "\n" : "") + Marker(cut) + "\n";

    /// <summary>Where the kept head ends and the kept tail starts (in <see cref="Tail"/>), and the bytes cut between them.</summary>
    private (int HeadEnd, int TailStart, long Cut) Split()
    {
        var tail = Tail();
        var dropped = TotalBytes - _headLength - tail.Length;
        if (dropped == 0) return (_headLength, 0, 0);
        // Cut where a line ends when one is near; else where a UTF-8 character starts, so that no character is split.
        var head = _head.AsSpan(0, _headLength);
        var newline = head[Math.Max(0, head.Length - LineSearch)..].LastIndexOf((byte)'\n');
        var headEnd = newline >= 0 ? Math.Max(0, head.Length - LineSearch) + newline + 1 : CharacterStart(head, head.Length);
        var tailNewline = tail[..Math.Min(tail.Length, LineSearch)].IndexOf((byte)'\n');
        var tailStart = tailNewline >= 0 ? tailNewline + 1 : CharacterStart(tail, 0);
        return (headEnd, tailStart, TotalBytes - headEnd - (tail.Length - tailStart));
    }

    /// <summary>
    /// The bytes the ring holds, oldest first. A ring that went round is turned in place first so that its oldest byte
    /// is at index 0 (three reversals, no copy); writes then go on from there.
    /// </summary>
    private ReadOnlySpan<byte> Tail()
    {
        if (_tail is null || _tailWritten == 0) return [];
        if (_tailWritten < _tail.Length) return _tail.AsSpan(0, (int)_tailWritten);
        if (_at != 0)
        {
            _tail.AsSpan(0, _at).Reverse();
            _tail.AsSpan(_at).Reverse();
            _tail.AsSpan().Reverse();
            _at = 0;
        }
        return _tail;
    }

    /// <summary>The first index at or after from (at most 3 bytes on) that is not in the middle of a UTF-8 character.</summary>
    private static int CharacterStart(ReadOnlySpan<byte> bytes, int from)
    {
        if (from >= bytes.Length)
        {
            // The end of the head: step back over an incomplete character.
            var back = bytes.Length;
            while (back > 0 && bytes.Length - back < 4 && (bytes[back - 1] & 0xC0) == 0x80) back--;
            if (back == 0 || bytes[back - 1] < 0xC0) return bytes.Length;
            var lead = bytes[back - 1];
            var length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
            return bytes.Length - (back - 1) >= length ? bytes.Length : back - 1;
        }
        var i = from;
        while (i < bytes.Length && i - from < 3 && (bytes[i] & 0xC0) == 0x80) i++;
        return i;
    }
}
