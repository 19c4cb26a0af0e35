using System.IO.Compression;

namespace Factory.Executor.Engine;

/// <summary>
/// One stream of a test's output written to a gzip file on disk as it arrives, so that the whole of it can be stored as
/// evidence without being held in memory. What the <see cref="OutputBudget"/> does not cover is dropped; of that,
/// only the last <c>tailBytes</c> are kept (in memory), and <see cref="Complete"/> writes a marker line saying how many
/// bytes were cut, then that tail: the end of the output, where the error is, is always in the file. The file (and its
/// directory) is made only once the output passes <see cref="SpillBytes"/> or the spool is completed: most tests print
/// little, and a file made and deleted for each of them costs the host more than their output does. Not thread-safe.
/// </summary>
public sealed class OutputSpool : IDisposable
{
    private readonly OutputBudget _budget;
    private readonly int _tailBytes;
    /// <summary>Output held in memory before the file is made.</summary>
    public const int SpillBytes = 64 * 1024;

    private MemoryStream? _held = new();
    private FileStream? _file;
    private GZipStream? _gzip;
    private OutputCapture? _overflow;
    private byte _last = (byte)'\n';
    private bool _completed;
    private bool _tailEndsLine;

    public OutputSpool(string path, OutputBudget budget, int tailBytes)
    {
        Path = path;
        _budget = budget;
        _tailBytes = tailBytes;
    }

    /// <summary>Where kept bytes go: memory until <see cref="SpillBytes"/>, then the file, which first gets what was held.</summary>
    private Stream Kept(int more)
    {
        if (_gzip is not null) return _gzip;
        if (_held!.Length + more <= SpillBytes) return _held;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _file = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 64 * 1024);
        _gzip = new GZipStream(_file, CompressionLevel.Fastest);
        _gzip.Write(_held.GetBuffer().AsSpan(0, (int)_held.Length));
        _held = null;
        return _gzip;
    }

    /// <summary>The gzip file (one gzip member), complete once <see cref="Complete"/> returned.</summary>
    public string Path { get; }
    /// <summary>Every byte written, kept or not.</summary>
    public long TotalBytes { get; private set; }
    /// <summary>Whether the file ends a line (or is empty), once completed.</summary>
    public bool EndsWithNewline => _overflow is null ? _last == (byte)'\n' : _tailEndsLine;
    /// <summary>Whether the file was made (the output passed <see cref="SpillBytes"/>, or the spool was completed).</summary>
    public bool OnDisk => _file is not null;
    /// <summary>Bytes left out of the file, the marker line aside (known once completed).</summary>
    public long CutBytes { get; private set; }

    public void Write(ReadOnlySpan<byte> data)
    {
        TotalBytes += data.Length;
        var kept = _overflow is null ? _budget.Take(data.Length) : 0;
        if (kept > 0)
        {
            Kept(kept).Write(data[..kept]);
            _last = data[kept - 1];
        }
        if (kept == data.Length) return;
        _overflow ??= new OutputCapture(new OutputLimits(0, _tailBytes));
        _overflow.Write(data[kept..]);
    }

    /// <summary>Ends the file: the marker and the kept tail when something was cut. Idempotent.</summary>
    public void Complete()
    {
        if (_completed) return;
        _completed = true;
        if (_overflow is not null)
        {
            CutBytes = _overflow.CutBytes;
            if (CutBytes > 0 && _last != (byte)'\n') Kept(int.MaxValue).Write("\n"u8);
            // The kept tail as it was written (not decoded and encoded again: output that is not UTF-8 stays as it was).
            var (bytes, last) = _overflow.CopyKeptTo(Kept(int.MaxValue));
            _tailEndsLine = bytes == 0 ? CutBytes == 0 && _last == (byte)'\n' : last == (byte)'\n';
        }
        Kept(int.MaxValue).Dispose();
    }

    /// <summary>Closes the spool and removes its file, if it made one (most spools never do: nothing to delete, nothing to fail).</summary>
    public void Discard()
    {
        Dispose();
        if (!OnDisk) return;
        try { File.Delete(Path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }

    public void Dispose()
    {
        _gzip?.Dispose();
        _file?.Dispose();
    }
}
