using Microsoft.Extensions.Hosting;

namespace Factory.UnitTests.Support;

/// <summary>A host lifetime that only records whether the application asked to stop.</summary>
public sealed class StoppableLifetime : IHostApplicationLifetime
{
    private volatile bool _stopRequested;
    public bool StopRequested => _stopRequested;
    public CancellationToken ApplicationStarted => CancellationToken.None;
    public CancellationToken ApplicationStopping => CancellationToken.None;
    public CancellationToken ApplicationStopped => CancellationToken.None;
    public void StopApplication() => _stopRequested = true;
}
