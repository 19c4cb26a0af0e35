using System.Globalization;
using Docker.DotNet.Models;

namespace Factory.Executor.Engine;

/// <summary>
/// How a container ended, from its events as the engine reports them: the exit code its die carries, and whether an
/// oom (the kernel killed one of its processes for memory) came before. Reported inline, in the stream's order.
/// </summary>
public sealed class ContainerEnd(Action? died = null) : IProgress<Message>
{
    public int? ExitCode { get; private set; }
    public bool OomKilled { get; private set; }

    public void Report(Message value)
    {
        if (ExitCode is not null) return;
        if (value.Action == "oom") OomKilled = true;
        else if (value.Action == "die")
        {
            ExitCode = value.Actor?.Attributes?.TryGetValue("exitCode", out var code) == true
                && int.TryParse(code, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1;
            died?.Invoke();
        }
    }
}
