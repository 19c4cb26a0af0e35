using System.Diagnostics;

namespace Factory.Bench;

public static class Shell
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static void Log(string message) => Console.Error.WriteLine($"bench [{Clock.Elapsed.TotalSeconds,5:0.0}s]: {message}");

    /// <summary>For teardown: a failed step is logged and the next one still runs.</summary>
    public static async Task Quietly(string what, Func<Task> step)
    {
        try { await step(); }
        catch (Exception ex) { Log($"teardown: {what} failed: {ex.Message}"); }
    }
}
