using System.Diagnostics;
using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests.Web;

/// <summary>`./factory serve` on a scratch store's state, as a process on a free port, stopped (by its id) when disposed.</summary>
public sealed class ServedUi : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    public string Url { get; }
    public HttpClient Http { get; }

    private ServedUi(Process process, string url)
    {
        _process = process;
        Url = url.TrimEnd('/');
        Http = new HttpClient { BaseAddress = new Uri(Url + "/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public static async Task<ServedUi> StartAsync(ScratchStore store)
    {
        var info = new ProcessStartInfo(Path.Combine(RepoRoot.Path, "factory"))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoRoot.Path,
        };
        foreach (var argument in store.Args("serve", "--urls", "http://127.0.0.1:0")) info.ArgumentList.Add(argument);
        info.Environment["FACTORY_KEYRING"] = FactoryCli.Keyring;
        var process = Process.Start(info)!;
        var url = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.AppendLine(e.Data);
            if (e.Data.StartsWith("FACTORY_UI_URL=", StringComparison.Ordinal)) url.TrySetResult(e.Data["FACTORY_UI_URL=".Length..]);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        // The first ./factory of a run may build the CLI.
        var first = await Task.WhenAny(url.Task, exited, Task.Delay(TimeSpan.FromMinutes(5)));
        if (first != url.Task)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"factory serve did not print its address:\n{log}");
        }
        var served = new ServedUi(process, url.Task.Result);
        lock (log) served._output.Append(log);
        return served;
    }

    /// <summary>GET a read API path (relative to the UI's address) that must succeed; its JSON.</summary>
    public async Task<System.Text.Json.JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}\n{body}");
        return System.Text.Json.JsonDocument.Parse(body).RootElement.Clone();
    }

    public override string ToString() => _output.ToString();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
