using System.Text.Json;

namespace Factory.Cli.Commands;

/// <summary>A progress bar on a terminal, plain lines otherwise (stderr, so stdout stays for the summary).</summary>
internal sealed class SubmitProgress(bool quiet)
{
    private readonly bool _terminal = !Console.IsErrorRedirected;
    private string _last = "";

    public void Show(JsonElement view)
    {
        if (quiet) return;
        var c = view.GetProperty("counts");
        int N(string name) => c.GetProperty(name).GetInt32();
        var total = N("total");
        var done = total - N("pending") - N("queued") - N("running");
        var line = $"{view.GetProperty("plan_id").GetString()}: {done}/{total} done ({N("running")} running, {N("queued")} queued, {N("pending")} pending; " +
                   $"{N("passed")} passed, {N("failed")} failed, {N("reused")} reused" + (N("dead_lettered") > 0 ? $", {N("dead_lettered")} dead-lettered" : "") + ")";
        if (_terminal)
        {
            const int width = 30;
            var filled = total == 0 ? width : done * width / total;
            Console.Error.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {line}".PadRight(Console.IsErrorRedirected ? 0 : 120));
        }
        else if (line != _last)
        {
            Console.Error.WriteLine(line);
        }
        _last = line;
    }

    public void Done()
    {
        if (!quiet && _terminal) Console.Error.WriteLine();
    }
}
