using Factory.ResultsConsumer;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.AddResultsConsumerService();
builder.Build().Run();
