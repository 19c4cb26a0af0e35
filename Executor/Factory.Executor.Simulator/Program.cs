// SIMULATOR — hundreds of simulated executors in one process, for load tests of the control plane: they take real
// work items from a simulated pool's real queue and pretend to build them. Never a default; see SimulatorService.
using Factory.Executor.Simulator;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddSimulatorCommandLine(args);
if (await builder.AddSimulatedExecutorsAsync() is { } refusal)
{
    Console.Error.WriteLine($"simulator: refusing to start: {refusal}");
    return 2;
}
await builder.Build().RunAsync();
return 0;
