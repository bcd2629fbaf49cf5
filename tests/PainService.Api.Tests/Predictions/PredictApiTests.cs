using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using PainService.Api.Tests.Support;

namespace PainService.Api.Tests.Predictions;

public sealed class PredictApiTests
{
    private static MultipartFormDataContent Multipart(string fakeImage, string field = "image")
    {
        var file = new ByteArrayContent(Encoding.ASCII.GetBytes(fakeImage));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return new MultipartFormDataContent { { file, field, "frame.png" } };
    }

    private static ByteArrayContent Raw(string fakeImage, string contentType = "image/jpeg")
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(fakeImage));
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    [Fact]
    public async Task MultipartPredictReturnsTheFullBodyShape()
    {
        await using var app = new PainApiFactory();
        var client = await app.StartAsync();

        var response = await client.PostAsync("/v1/pain/predict", Multipart("VALUE:2"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        string[] order = ["face", "painLevel", "probabilities", "logits", "actionUnits", "adjacency", "normalizedAdjacency", "model", "timings"];
        Assert.Equal(order, body.EnumerateObject().Select(p => p.Name));

        var face = body.GetProperty("face");
        Assert.Equal([177, 66, 95, 95], new[] { "x", "y", "width", "height" }.Select(k => face.GetProperty(k).GetInt32()));

        // Fake logits for value 2 are [2, 0.5, -2]: class 0 wins.
        Assert.Equal(0, body.GetProperty("painLevel").GetProperty("index").GetInt32());
        Assert.Equal("NoPain", body.GetProperty("painLevel").GetProperty("label").GetString());
        Assert.Equal([2f, 0.5f, -2f], body.GetProperty("logits").EnumerateArray().Select(e => e.GetSingle()));

        var probabilities = body.GetProperty("probabilities").EnumerateObject().ToArray();
        Assert.Equal(["NoPain", "Mild", "Obvious"], probabilities.Select(p => p.Name));
        var expected = new[] { 2.0, 0.5, -2.0 }.Select(Math.Exp).ToArray();
        for (var i = 0; i < 3; i++)
            Assert.Equal(expected[i] / expected.Sum(), probabilities[i].Value.GetDouble(), 6);

        var aus = body.GetProperty("actionUnits").EnumerateArray().ToArray();
        Assert.Equal(["AU1", "AU2", "AU4", "AU6", "AU9", "AU12", "AU25", "AU26"], aus.Select(a => a.GetProperty("au").GetString()));
        Assert.Equal(0.3f, aus[0].GetProperty("probability").GetSingle(), 5);
        Assert.False(aus[1].GetProperty("occurrence").GetBoolean()); // 0.4
        Assert.True(aus[2].GetProperty("occurrence").GetBoolean());  // 0.5: the threshold is inclusive

        var adjacency = body.GetProperty("adjacency").EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetInt32()).ToArray()).ToArray();
        Assert.Equal(8, adjacency.Length);
        Assert.All(adjacency, r => Assert.Equal(8, r.Length));
        Assert.Equal(1, adjacency[3][3]);
        Assert.Equal(8, body.GetProperty("normalizedAdjacency").GetArrayLength());

        var model = body.GetProperty("model");
        Assert.Equal("GraphAU-Pain", model.GetProperty("name").GetString());
        Assert.Equal("untrained-reference", model.GetProperty("version").GetString());
        Assert.Equal(new string('a', 64), model.GetProperty("weightsSha256").GetString());
        Assert.False(model.GetProperty("trained").GetBoolean());

        var timings = body.GetProperty("timings");
        Assert.Equal(1.5, timings.GetProperty("decodeMs").GetDouble());
        Assert.Equal(2.5, timings.GetProperty("detectMs").GetDouble());
        Assert.True(timings.GetProperty("queueMs").GetDouble() >= 0);
        Assert.True(timings.GetProperty("inferenceMs").GetDouble() >= 0);
    }

    [Fact]
    public async Task UntrainedModelAnswersCarryTheWarningHeader()
    {
        await using var app = new PainApiFactory();
        var client = await app.StartAsync();

        var response = await client.PostAsync("/v1/pain/predict", Raw("VALUE:1", "image/png"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("299 - \"untrained model: not for clinical use\"", Assert.Single(response.Headers.GetValues("Warning")));
    }

    [Fact]
    public async Task TrainedModelAnswersCarryNoWarningHeader()
    {
        await using var app = new PainApiFactory { Predictor = new FakePredictor(trained: true) };
        var client = await app.StartAsync();

        var response = await client.PostAsync("/v1/pain/predict", Raw("VALUE:1", "application/octet-stream"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Warning"));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(body.GetProperty("model").GetProperty("trained").GetBoolean());
        Assert.Equal("v-test", body.GetProperty("model").GetProperty("version").GetString());
    }

    [Fact]
    public async Task EmptyBodyReturnsProblem400EmptyBody()
    {
        await using var app = new PainApiFactory();
        var client = await app.StartAsync();

        var response = await client.PostAsync("/v1/pain/predict", Raw("", "image/jpeg"));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "empty_body");
    }

    [Fact]
    public async Task WrongContentTypeReturnsProblem415()
    {
        await using var app = new PainApiFactory();
        var client = await app.StartAsync();

        var response = await client.PostAsync("/v1/pain/predict", new StringContent("{\"image\":1}", Encoding.UTF8, "application/json"));

        await Problems.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task MultipartWithoutImageFieldReturnsProblem400MissingImage()
    {
        await using var app = new PainApiFactory();
        var client = await app.StartAsync();

        var response = await client.PostAsync("/v1/pain/predict", Multipart("VALUE:1", field: "photo"));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "missing_image");
    }

    [Fact]
    public async Task OversizedUploadReturnsProblem413()
    {
        await using var app = new PainApiFactory { Settings = { ["Vision:MaxUploadBytes"] = "1000" } };
        var client = await app.StartAsync();

        var raw = await client.PostAsync("/v1/pain/predict", Raw(new string('x', 1001)));
        var multipart = await client.PostAsync("/v1/pain/predict", Multipart(new string('x', 1001)));

        await Problems.AssertProblemAsync(raw, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        await Problems.AssertProblemAsync(multipart, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task VisionRejectionsMapToTheirStatusAndCode()
    {
        await using var app = new PainApiFactory();
        var client = await app.StartAsync();

        await Problems.AssertProblemAsync(await client.PostAsync("/v1/pain/predict", Raw("NOFACE")), (HttpStatusCode)422, "no_face");
        await Problems.AssertProblemAsync(await client.PostAsync("/v1/pain/predict", Raw("CORRUPT")), HttpStatusCode.BadRequest, "corrupt_image");
    }

    [Fact]
    public async Task ThrowingModelReturnsProblem503WithRetryAfter()
    {
        var predictor = new FakePredictor();
        await using var app = new PainApiFactory { Predictor = predictor };
        var client = await app.StartAsync();
        predictor.Throw = new InvalidOperationException("native failure with internal detail");

        var response = await client.PostAsync("/v1/pain/predict", Raw("VALUE:1"));

        var body = await Problems.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "inference_failed");
        Assert.Equal("1", Assert.Single(response.Headers.GetValues("Retry-After")));
        Assert.DoesNotContain("internal detail", body.ToString());
    }

    [Fact]
    public async Task UnknownRouteReturnsProblem404WithCode()
    {
        await using var app = new PainApiFactory();
        var client = await app.StartAsync();

        var response = await client.GetAsync("/v1/nothing-here");

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task FacesAllScoresEveryFaceLargestFirstAndDefaultIsTheLargest()
    {
        var predictor = new FakePredictor();
        await using var app = new PainApiFactory { Predictor = predictor, Settings = { ["Batching:MaxBatchDelay"] = "00:00:00.300" } };
        var client = await app.StartAsync();

        var all = await client.PostAsync("/v1/pain/predict?faces=all", Raw("FACES:3"));
        var largest = await client.PostAsync("/v1/pain/predict", Raw("FACES:3"));
        var bad = await client.PostAsync("/v1/pain/predict?faces=some", Raw("FACES:3"));

        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        var faces = JsonDocument.Parse(await all.Content.ReadAsStringAsync()).RootElement.GetProperty("faces").EnumerateArray().ToArray();
        Assert.Equal([0, 10, 20], faces.Select(f => f.GetProperty("face").GetProperty("x").GetInt32()));
        Assert.Equal([3f, 2f, 1f], faces.Select(f => f.GetProperty("logits")[0].GetSingle())); // each face its own result
        Assert.Contains(3, predictor.BatchSizes); // the faces shared one forward pass
        var single = JsonDocument.Parse(await largest.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(3f, single.GetProperty("logits")[0].GetSingle());
        Assert.Equal(0, single.GetProperty("face").GetProperty("x").GetInt32());
        await Problems.AssertProblemAsync(bad, HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task ConfiguredFacePolicyAllScoresEveryFaceUnlessTheQueryAsksForTheLargest()
    {
        await using var app = new PainApiFactory { Settings = { ["Vision:FacePolicy"] = "All" } };
        var client = await app.StartAsync();

        var configured = JsonDocument.Parse(await (await client.PostAsync("/v1/pain/predict", Raw("FACES:3"))).Content.ReadAsStringAsync()).RootElement;
        var overridden = JsonDocument.Parse(await (await client.PostAsync("/v1/pain/predict?faces=largest", Raw("FACES:3"))).Content.ReadAsStringAsync()).RootElement;

        Assert.Equal([0, 10, 20], configured.GetProperty("faces").EnumerateArray().Select(f => f.GetProperty("face").GetProperty("x").GetInt32()));
        Assert.False(overridden.TryGetProperty("faces", out _));
        Assert.Equal(0, overridden.GetProperty("face").GetProperty("x").GetInt32());
    }
}
