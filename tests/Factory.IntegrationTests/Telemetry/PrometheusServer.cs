using System.Diagnostics;
using System.Text.Json;

namespace Factory.IntegrationTests.Telemetry;

/// <summary>
/// A real Prometheus (the Debian package's binary) for one test: a generated config that discovers its targets from the
/// control plane's GET /api/fleet/targets (http_sd_configs), a free port, a temporary data directory. Disposing stops
/// it by its PID and deletes the directory.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http;

    public string Url { get; }

    private PrometheusServer(Process process, string directory, string url)
    {
        (_process, _directory, Url) = (process, directory, url);
        _http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
    }

    public static string Binary => new[] { "/usr/bin/prometheus", "/usr/local/bin/prometheus" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("prometheus is not installed: run deploy/local/up.sh (it installs the Debian package prometheus)");

    public static async Task<PrometheusServer> StartAsync(string targetsUrl)
    {
        var directory = Path.Combine(Path.GetTempPath(), "factory-prometheus-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: factory
                http_sd_configs:
                  - url: {targetsUrl}
                    refresh_interval: 1s
            """);
        var url = $"http://127.0.0.1:{LocalFleet.FreePort()}";
        var start = new ProcessStartInfo(Binary)
        {
            ArgumentList = { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}", $"--web.listen-address={new Uri(url).Authority}" },
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, directory, url);
        var (ready, _) = await Poll.UntilAsync(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException($"prometheus exited with {process.ExitCode}");
            try { return (await server._http.GetAsync("/-/ready")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, ready => ready, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250));
        if (ready) return server;
        await server.DisposeAsync();
        throw new TimeoutException("prometheus did not become ready within 60 s");
    }

    /// <summary>An instant PromQL query through the HTTP API; returns the result vector.</summary>
    public async Task<IReadOnlyList<JsonElement>> QueryAsync(string promql)
    {
        var body = await _http.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql));
        var root = JsonDocument.Parse(body).RootElement;
        if (root.GetProperty("status").GetString() != "success") throw new InvalidOperationException($"query {promql}: {body}");
        return root.GetProperty("data").GetProperty("result").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    /// <summary>Queries until the vector has at least that many series, or the timeout passes (then returns the last vector).</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForSeriesAsync(string promql, TimeSpan timeout, int atLeast = 1) =>
        (await Poll.UntilAsync(() => QueryAsync(promql), series => series.Count >= atLeast, timeout, TimeSpan.FromMilliseconds(500))).Answer;

    /// <summary>The targets Prometheus scrapes, with their health, for failure messages.</summary>
    public Task<string> TargetsAsync() => _http.GetStringAsync("/api/v1/targets");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _http.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

}
