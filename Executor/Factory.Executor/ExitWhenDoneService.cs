using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Factory.Executor;

/// <summary>
/// Stops the executor (exit code 0) when <see cref="ExecutorExitPolicy"/> says so: looked at after every work item, so no
/// further item is taken, and every second for idleness.
/// </summary>
public sealed class ExitWhenDoneService(WorkQueueActivity activity, IHostApplicationLifetime lifetime, ILogger<ExitWhenDoneService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (activity.ExitReason() is { } reason)
            {
                logger.LogInformation("executor: exiting: {Reason}", reason);
                lifetime.StopApplication();
                return;
            }
            await activity.WaitForChangeAsync(TimeSpan.FromSeconds(1), stoppingToken);
        }
    }
}
