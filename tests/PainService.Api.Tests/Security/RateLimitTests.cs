using System.Net;
using PainService.Api.Tests.Support;

namespace PainService.Api.Tests.Security;

public sealed class RateLimitTests
{
    private static ByteArrayContent Frame() => new("VALUE:1"u8.ToArray()) { Headers = { ContentType = new("image/png") } };

    [Fact]
    public async Task OverTheLimitAClientGets429WithRetryAfterWhileOthersAreServed()
    {
        await using var app = new PainApiFactory
        {
            Settings = { ["RateLimiting:Enabled"] = "true", ["RateLimiting:PermitLimit"] = "2", ["RateLimiting:Window"] = "00:01:00" },
        };
        var client = await app.StartAsync();
        var other = app.CreateAnonymousClient();
        other.DefaultRequestHeaders.Add("X-Api-Key", PainApiFactory.AdminKey);

        var first = await client.PostAsync("/v1/pain/predict", Frame());
        var second = await client.PostAsync("/v1/pain/predict", Frame());
        var third = await client.PostAsync("/v1/pain/predict", Frame());
        var otherClient = await other.PostAsync("/v1/pain/predict", Frame());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await Problems.AssertProblemAsync(third, HttpStatusCode.TooManyRequests, "rate_limited");
        var retryAfter = int.Parse(Assert.Single(third.Headers.GetValues("Retry-After")));
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal(HttpStatusCode.OK, otherClient.StatusCode); // limits are per client
    }

    [Fact]
    public async Task RateLimitingIsOffByDefault()
    {
        await using var app = new PainApiFactory();
        var client = await app.StartAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 150; i++)
            statuses.Add((await client.PostAsync("/v1/pain/predict", Frame())).StatusCode);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }
}
