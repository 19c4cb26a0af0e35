using Factory.ResultsConsumer;
using Factory.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddWorkerServiceDefaults("factory-results-consumer");
if (StartupRefusal.Check("results-consumer", () => builder.AddResultsConsumerService()) is { } refused) return refused;
var app = builder.Build();
app.MapFactoryEndpoints();
app.Run();
return 0;
