using Factory.ControlPlane;
using Factory.ControlPlane.Api;
using Factory.ControlPlane.Access;
using Factory.ControlPlane.Api.Apis;
using Factory.ControlPlane.State;
using Factory.ServiceDefaults;
using Factory.Web;
using Factory.Web.Access;
using Factory.Web.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddFactoryTelemetry("factory-control-plane");
builder.AddFactoryHealthChecks().AddCheck<ControlPlaneReadyCheck>("control-plane", tags: [FactoryEndpoints.ReadyTag]);
if (StartupRefusal.Check("control-plane", () => builder.AddControlPlaneServices()) is { } refused) return refused;
builder.AddWebUi();
builder.Services.AddSingleton<IAccessStore, PostgresAccessStore>();
builder.Services.AddApiAccess(builder.Configuration, anonymousReadsByDefault: false);
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);

var app = builder.Build();
app.UseExceptionHandler();
app.UseApiAccess();
app.MapPlansApi();
app.MapFleetApi();
app.MapRecordsApi();
app.MapReviewApi();
app.MapDeadLetterApi();
app.MapAccessApi();
app.MapFactoryEndpoints();
app.MapWebUi();
app.MapGet("/healthz", (ControlPlaneReadiness readiness) =>
    readiness.IsReady ? Results.Ok(new { status = "ok" }) : Results.Json(new { status = "starting" }, statusCode: StatusCodes.Status503ServiceUnavailable));
app.Run();
return 0;

public partial class Program;
