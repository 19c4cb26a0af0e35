using System.Globalization;
using System.Text;

namespace Factory.Executor.Engine;

/// <summary>
/// Keeps the head and the tail of a stream of output, however long it is and whether or not it has lines: the memory
/// it takes is bounded by its <see cref="OutputLimits"/>, never by the output. What is cut is said by a marker line
/// (<see cref="Marker"/>) where it was. With a <see cref="OutputSpool"/>, every byte also goes on to it (the whole
/// output, to disk). Not thread-safe: one writer at a time.
/// </summary>
public sealed class OutputCapture(OutputLimits limits, OutputSpool? spool = null)
{
    // A cut moves back (head) or forward (tail) to a line boundary found this close to it; further means one long line, cut mid-line.
    private const int LineSearch = 64 * 1024;
    private byte[] _head = [];
    private int _headLength;
    private byte[]? _tail;
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
        if (data.Length > _tail.Length)
        {
            _tailWritten += data.Length - _tail.Length;
            data = data[^_tail.Length..];
        }
        var at = (int)(_tailWritten % _tail.Length);
        var first = Math.Min(data.Length, _tail.Length - at);
        data[..first].CopyTo(_tail.AsSpan(at));
        data[first..].CopyTo(_tail);
        _tailWritten += data.Length;
    }

    /// <summary>Bytes left out of <see cref="Text"/>, the marker line aside.</summary>
    public long CutBytes => Split().Cut;

    /// <summary>The head, then a marker line saying how many bytes were cut (only when some were), then the tail.</summary>
    public string Text()
    {
        var (head, tail, cut) = Split();
        if (cut == 0) return Encoding.UTF8.GetString(head) + Encoding.UTF8.GetString(tail);
        var text = new StringBuilder(head.Length + tail.Length + 64).Append(Encoding.UTF8.GetString(head));
        if (head.Length > 0 && head[^1] != (byte)'\n') text.Append('\n');
        return text.Append(Marker(cut)).Append('\n').Append(Encoding.UTF8.GetString(tail)).ToString();
    }

    private (byte[] Head, byte[] Tail, long Cut) Split()
    {
        var tail = TailBytes();
        var dropped = TotalBytes - _headLength - tail.Length;
        if (dropped == 0) return (_head[.._headLength], tail, 0);
        // Cut where a line ends when one is near; else where a UTF-8 character starts, so that no character is split.
        var head = _head.AsSpan(0, _headLength);
        var newline = head[Math.Max(0, head.Length - LineSearch)..].LastIndexOf((byte)'\n');
        var headEnd = newline >= 0 ? Math.Max(0, head.Length - LineSearch) + newline + 1 : CharacterStart(head, head.Length);
        var tailNewline = tail.AsSpan(0, Math.Min(tail.Length, LineSearch)).IndexOf((byte)'\n');
        var tailStart = tailNewline >= 0 ? tailNewline + 1 : CharacterStart(tail, 0);
        return (head[..headEnd].ToArray(), tail[tailStart..], TotalBytes - headEnd - (tail.Length - tailStart));
    }

    private byte[] TailBytes()
    {
        if (_tail is null || _tailWritten == 0) return [];
        if (_tailWritten <= _tail.Length) return _tail[..(int)_tailWritten];
        var at = (int)(_tailWritten % _tail.Length);
        return [.. _tail.AsSpan(at), .. _tail.AsSpan(0, at)];
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
