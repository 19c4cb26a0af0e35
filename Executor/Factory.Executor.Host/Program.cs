using Factory.Executor;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddExecutorCommandLine(args);
if (await builder.AddExecutorServiceAsync() is { } refusal)
{
    Console.Error.WriteLine($"executor: refusing to start: {refusal}");
    return 2;
}
await builder.Build().RunAsync();
return 0;
