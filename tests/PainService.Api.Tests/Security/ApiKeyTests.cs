using System.Net;
using System.Text.Json;
using PainService.Api.Security;
using PainService.Api.Tests.Support;

namespace PainService.Api.Tests.Security;

public sealed class ApiKeyTests
{
    private static ByteArrayContent Frame() => new("VALUE:1"u8.ToArray()) { Headers = { ContentType = new("image/png") } };

    private static HttpRequestMessage Predict(string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/pain/predict") { Content = Frame() };
        request.Headers.Remove("X-Api-Key");
        if (key is not null)
            request.Headers.Add("X-Api-Key", key);
        return request;
    }

    [Fact]
    public async Task MissingOrUnknownKeyIs401ProblemAndAKnownKeyPredicts()
    {
        await using var app = new PainApiFactory();
        await app.StartAsync();
        var client = app.CreateAnonymousClient(); // no default key header

        var missing = await client.SendAsync(Predict(null));
        var unknown = await client.SendAsync(Predict("not-a-key"));
        var known = await client.SendAsync(Predict(PainApiFactory.PredictKey));
        var admin = await client.SendAsync(Predict(PainApiFactory.AdminKey)); // admin may do everything

        await Problems.AssertProblemAsync(missing, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains("X-Api-Key", missing.Headers.WwwAuthenticate.ToString());
        await Problems.AssertProblemAsync(unknown, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task PublicPathsNeedNoKeyAndMetricsCanBeLocked()
    {
        await using var open = new PainApiFactory();
        await using var locked = new PainApiFactory { Settings = { ["Auth:RequireKeyForMetrics"] = "true" } };
        await open.StartAsync();
        await locked.StartAsync();
        var anonymous = open.CreateAnonymousClient();
        var lockedAnonymous = locked.CreateAnonymousClient();

        foreach (var path in new[] { "/health/live", "/health/ready", "/openapi/v1.json", "/swagger/index.html", "/metrics" })
            Assert.True((await anonymous.GetAsync(path)).StatusCode == HttpStatusCode.OK, path);
        await Problems.AssertProblemAsync(await lockedAnonymous.GetAsync("/metrics"), HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(HttpStatusCode.OK, (await locked.CreateClient().GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task OpenApiDeclaresTheApiKeySchemeSoSwaggerUiShowsAuthorize()
    {
        await using var app = new PainApiFactory();
        var document = JsonDocument.Parse(await app.CreateAnonymousClient().GetStringAsync("/openapi/v1.json")).RootElement;

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        var security = document.GetProperty("paths").GetProperty("/v1/pain/predict").GetProperty("post").GetProperty("security");
        Assert.True(security[0].TryGetProperty("ApiKey", out _));
    }

    [Fact]
    public async Task DevelopmentKeyWorksOnlyInDevelopment()
    {
        await using var development = new PainApiFactory();
        await using var production = new PainApiFactory { EnvironmentName = "Production", Predictor = new FakePredictor(trained: true) };
        await development.StartAsync();
        await production.StartAsync();

        var inDevelopment = await development.CreateAnonymousClient().SendAsync(Predict("painservice-dev-key"));
        var inProduction = await production.CreateAnonymousClient().SendAsync(Predict("painservice-dev-key"));

        Assert.Equal(HttpStatusCode.OK, inDevelopment.StatusCode);
        await Problems.AssertProblemAsync(inProduction, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task SecurityHeadersAreSetOnApiResponses()
    {
        await using var app = new PainApiFactory();
        var client = await app.StartAsync();

        var response = await client.PostAsync("/v1/pain/predict", Frame());

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.True(response.Headers.CacheControl?.NoStore);
    }
}
