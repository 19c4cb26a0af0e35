using Factory.ControlPlane;
using Factory.ControlPlane.Api.Apis;

var builder = WebApplication.CreateBuilder(args);
builder.AddControlPlaneServices();
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);

var app = builder.Build();
app.UseExceptionHandler();
app.MapPlansApi();
app.MapFleetApi();
app.MapRecordsApi();
app.MapDeadLetterApi();
app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
app.Run();

public partial class Program;
