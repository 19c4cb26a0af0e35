using Factory.ResultsConsumer;
using Factory.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddWorkerServiceDefaults("factory-results-consumer");
builder.AddResultsConsumerService();
var app = builder.Build();
app.MapFactoryEndpoints();
app.Run();
