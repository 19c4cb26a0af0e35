namespace Factory.Bench;

/// <summary>
/// A process's CPU time and resident memory as Linux accounts them (/proc/PID/stat utime + stime in clock ticks,
/// /proc/PID/status VmRSS), read at a moment; two readings give the CPU share between them.
/// </summary>
public sealed record ProcessUsage(int Pid, DateTime At, double CpuSeconds, double RssMb)
{
    // USER_HZ: the kernel reports process times in these ticks per second on every architecture Linux runs .NET on.
    private const double TicksPerSecond = 100;

    public static ProcessUsage Read(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11]) + long.Parse(fields[12]); // fields 14 and 15: utime, stime
        var rssKb = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return new ProcessUsage(pid, DateTime.UtcNow, ticks / TicksPerSecond, long.Parse(rssKb) / 1024.0);
    }

    /// <summary>The CPU this process used since <paramref name="earlier"/>, in percent of one core.</summary>
    public double CpuPercentSince(ProcessUsage earlier) => 100 * (CpuSeconds - earlier.CpuSeconds) / (At - earlier.At).TotalSeconds;

    /// <summary>The sum over several processes (the simulators), as one reading.</summary>
    public static ProcessUsage Sum(IReadOnlyList<ProcessUsage> usages) =>
        new(0, usages[0].At, usages.Sum(u => u.CpuSeconds), usages.Sum(u => u.RssMb));

    /// <summary>
    /// The CPU seconds of every process whose command name (/proc/PID/comm) is <paramref name="command"/>, such as
    /// "beam.smp" (RabbitMQ) or "postgres" (its server and every backend). A process that ended between two readings
    /// takes its time with it: a sum over long-lived ones (pooled connections) is what this is for.
    /// </summary>
    public static double CpuSecondsOf(string command)
    {
        double seconds = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() == command) seconds += Read(pid).CpuSeconds;
            }
            catch (IOException) { } // gone meanwhile
        }
        return seconds;
    }
}
