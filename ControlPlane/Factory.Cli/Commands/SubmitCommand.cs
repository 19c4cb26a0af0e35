using System.CommandLine;
using System.Text;
using System.Text.Json;
using Factory.Cli.Output;
using Factory.Contracts;
using Factory.Manifests;

namespace Factory.Cli.Commands;

/// <summary>`factory submit PLAN --control-plane URL [--wait]`: the fleet's way to run a plan, with the same summary and exit codes as `run`.</summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var plan = new Argument<string>("PLAN") { Description = "A plan file path or a plan id from <manifest-store>/plans/" };
        var url = ControlPlaneOption();
        var wait = new Option<bool>("--wait") { Description = "Wait until every item is done; print the summary; exit 0, 1 or 2 as `run` does" };
        var store = CommonOptions.ManifestStore();
        var json = CommonOptions.Json();
        var command = new Command("submit", "Submit a plan to the control plane of a fleet") { plan, url, wait, store, json };
        command.SetAction((parse, ct) => CommonOptions.Guard(() =>
            SubmitAsync(parse.GetValue(plan)!, parse.GetValue(url)!, parse.GetValue(wait), parse.GetValue(store)!, parse.GetValue(json), ct)));
        return command;
    }

    public static Option<string> ControlPlaneOption() => new("--control-plane")
    {
        Description = "The control plane's URL (default: $FACTORY_CONTROL_PLANE_URL, else http://127.0.0.1:5080)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FACTORY_CONTROL_PLANE_URL") is { Length: > 0 } u ? u : "http://127.0.0.1:5080",
    };

    private static async Task<int> SubmitAsync(string planOrId, string url, bool wait, string storeDirectory, bool json, CancellationToken ct)
    {
        var path = PlanReader.ResolvePath(planOrId, storeDirectory);
        using var client = new ControlPlaneClient(url);
        var accepted = await client.SendAsync(HttpMethod.Post, "api/plans", new StringContent(await File.ReadAllTextAsync(path, ct), Encoding.UTF8, "application/yaml"), ct,
            new Dictionary<string, string> { ["X-Plan-Source"] = path });
        var id = accepted.GetProperty("id").GetString()!;
        if (!wait)
        {
            if (json) Console.WriteLine(JsonSerializer.Serialize(accepted, FactoryJson.Options));
            else Console.WriteLine($"submitted plan {accepted.GetProperty("plan_id").GetString()} as {id} ({accepted.GetProperty("items").GetInt32()} items): {url.TrimEnd('/')}/api/plans/{id}");
            return ExitCodes.Passed;
        }

        var progress = new SubmitProgress(json);
        JsonElement view;
        while (true)
        {
            view = await client.GetAsync($"api/plans/{id}", ct);
            progress.Show(view);
            if (view.GetProperty("status").GetString() == "completed") break;
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }
        progress.Done();
        var report = ReportFrom(view);
        report.Print(json);
        return report.ExitCode;
    }

    private static RunReport ReportFrom(JsonElement view)
    {
        var items = view.GetProperty("items").EnumerateArray().Select(i => new RunReportItem(
            i.GetProperty("idempotency_key").GetString()!, i.GetProperty("manifest_id").GetString()!, i.GetProperty("platform").GetString()!,
            i.GetProperty("pool").GetString()!, i.GetProperty("modules").EnumerateObject().ToDictionary(m => m.Name, m => m.Value.GetString()!),
            i.GetProperty("status").GetString()!, i.GetProperty("reason").GetString(),
            i.GetProperty("build_id").ValueKind == JsonValueKind.Null ? Guid.Empty : i.GetProperty("build_id").GetGuid(),
            i.GetProperty("image").GetString(),
            i.GetProperty("tests").EnumerateArray().Select(t => new RunTest(t.GetProperty("name").GetString()!, t.GetProperty("status").GetString()!)).ToList())).ToList();
        var s = view.GetProperty("summary");
        var summary = new RunSummary(s.GetProperty("total").GetInt32(), s.GetProperty("built").GetInt32(), s.GetProperty("reused").GetInt32(),
            s.GetProperty("passed").GetInt32(), s.GetProperty("failed").GetInt32(), s.GetProperty("expired").GetInt32(), s.GetProperty("dead_lettered").GetInt32());
        return new RunReport(view.GetProperty("plan_id").GetString()!, items, summary);
    }
}

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
