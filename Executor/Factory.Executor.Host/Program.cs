using Factory.Executor;
using Factory.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddExecutorCommandLine(args);
builder.AddWorkerServiceDefaults("factory-executor", sp => sp.GetRequiredService<ExecutorOptions>().ExecutorId);
if (await builder.AddExecutorServiceAsync() is { } refusal)
{
    Console.Error.WriteLine($"executor: refusing to start: {refusal}");
    return 2;
}
var app = builder.Build();
app.MapFactoryEndpoints();
await app.RunAsync();
return 0;
