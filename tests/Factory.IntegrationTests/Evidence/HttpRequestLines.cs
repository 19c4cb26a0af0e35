using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Factory.IntegrationTests.Evidence;

/// <summary>
/// The HTTP/1.x request lines clients sent through a proxy ("PUT /bucket/sha256/... HTTP/1.1"), in the order they were
/// read. A request the client made twice shows twice: that is what a test of "not retried" counts.
/// </summary>
public sealed partial class HttpRequestLines
{
    private const int LongestLine = 8192; // longer lines (a body's) are never request lines
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> All => [.. _lines];

    /// <summary>A watcher for one connection: it splits what the client sends into lines and keeps the request lines.</summary>
    public Action<ReadOnlyMemory<byte>> Watcher()
    {
        var line = new List<byte>();
        var tooLong = false;
        return chunk =>
        {
            foreach (var b in chunk.Span)
            {
                if (b == (byte)'\n')
                {
                    var text = tooLong ? "" : Encoding.ASCII.GetString([.. line]).TrimEnd('\r');
                    if (RequestLine().IsMatch(text)) _lines.Enqueue(text);
                    line.Clear();
                    tooLong = false;
                }
                else if (line.Count < LongestLine) line.Add(b);
                else tooLong = true;
            }
        };
    }

    [GeneratedRegex(@"^(GET|HEAD|PUT|POST|DELETE) \S+ HTTP/1\.[01]$")]
    private static partial Regex RequestLine();
}
