using System.Diagnostics;

namespace Factory.Bench;

public sealed record ShellResult(int ExitCode, string Stdout, string Stderr);

public static class Shell
{
    public static string RepoRoot { get; } = FindRepoRoot();

    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static void Log(string message) => Console.Error.WriteLine($"bench [{Clock.Elapsed.TotalSeconds,5:0.0}s]: {message}");

    /// <summary>Runs a program to its end (killed after the timeout), capturing its output.</summary>
    public static async Task<ShellResult> RunAsync(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoRoot };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timer = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(timer.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout}");
        }
        return new ShellResult(process.ExitCode, await stdout, await stderr);
    }

    public static async Task RabbitCtlAsync(params string[] args)
    {
        var result = await RunAsync("rabbitmqctl", args, null, TimeSpan.FromMinutes(1));
        if (result.ExitCode != 0) throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)}: {result.Stdout}{result.Stderr}");
    }

    /// <summary>For teardown: a failed step is logged and the next one still runs.</summary>
    public static async Task Quietly(string what, Func<Task> step)
    {
        try { await step(); }
        catch (Exception ex) { Log($"teardown: {what} failed: {ex.Message}"); }
    }

    private static string FindRepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Factory.sln"))) return dir.FullName;
        throw new InvalidOperationException("Factory.sln not found above " + AppContext.BaseDirectory);
    }
}
