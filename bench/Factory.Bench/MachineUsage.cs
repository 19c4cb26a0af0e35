namespace Factory.Bench;

/// <summary>
/// The whole machine's CPU time as Linux accounts it (/proc/stat, first line: busy and idle ticks over every core),
/// read at a moment; two readings give how busy the machine was between them, PostgreSQL and RabbitMQ included.
/// </summary>
public sealed record MachineUsage(long BusyTicks, long TotalTicks)
{
    public static MachineUsage Read()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..].Select(long.Parse).ToArray();
        // user nice system idle iowait irq softirq steal: idle and iowait are the idle ones; guest time is inside user.
        var total = fields.Take(8).Sum();
        return new MachineUsage(total - fields[3] - fields[4], total);
    }

    /// <summary>The share of all cores that was busy since <paramref name="earlier"/>, in percent.</summary>
    public double BusyPercentSince(MachineUsage earlier) =>
        TotalTicks == earlier.TotalTicks ? 0 : 100.0 * (BusyTicks - earlier.BusyTicks) / (TotalTicks - earlier.TotalTicks);
}
