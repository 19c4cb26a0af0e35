using Factory.ControlPlane;
using Factory.ControlPlane.Api;
using Factory.ControlPlane.Api.Apis;
using Factory.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddControlPlaneServices();
builder.AddReviewServices();
builder.AddWebUi();
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);

var app = builder.Build();
app.UseExceptionHandler();
app.MapPlansApi();
app.MapFleetApi();
app.MapRecordsApi();
app.MapReviewApi();
app.MapDeadLetterApi();
app.MapWebUi();
app.MapGet("/healthz", (ControlPlaneReadiness readiness) =>
    readiness.IsReady ? Results.Ok(new { status = "ok" }) : Results.Json(new { status = "starting" }, statusCode: StatusCodes.Status503ServiceUnavailable));
app.Run();

public partial class Program;
