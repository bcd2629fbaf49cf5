using PainService.Api.Batching;
using PainService.Api.Configuration;
using PainService.Api.Errors;
using PainService.Api.Health;
using PainService.Api.Models;
using PainService.Api.Observability;
using PainService.Api.OpenApi;
using PainService.Api.Predictions;
using PainService.Api.Security;
using PainService.Api.Vision;

// Composition only: each feature registers and maps itself. No Kestrel endpoints here: --urls / ASPNETCORE_URLS decide.
var builder = WebApplication.CreateBuilder(args);
builder.UseRootAppSettings();

builder.Services.AddPainProblemDetails();
builder.Services.AddPainInference();
builder.Services.AddPainVision();
builder.Services.AddPainModelRegistry();
builder.Services.AddPainJobs();
builder.Services.AddPainSecurity();
builder.Services.AddPainHealthChecks();
builder.Services.AddPainOpenApi();

var app = builder.Build();

app.UsePainProblemDetails();
app.UsePainSecurity();
app.MapPainHealth();
app.MapPainMetrics();
app.MapPainOpenApi();
app.MapPredictions();
app.MapModels();
app.MapJobs();

app.Run();

/// <summary>Entry point; public so WebApplicationFactory can find it.</summary>
public partial class Program;
