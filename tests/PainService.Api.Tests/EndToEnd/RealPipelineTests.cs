using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using PainService.Api.Tests.Support;
using PainService.Testing;

namespace PainService.Api.Tests.EndToEnd;

/// <summary>
/// The real vision pipeline (ImageSharp + OpenCV Haar) and the real embedded untrained reference model, through HTTP,
/// against face_pipeline.json → untrained_reference_model_outputs (authors' code, OpenCV 4.6, PIL resize).
/// </summary>
public sealed class RealPipelineTests
{
    private static PainApiFactory RealApp() => new() { RealVision = true, RealModel = true, Settings = { ["Model:Device"] = "cpu" } };

    private static ByteArrayContent File(string name, string contentType)
    {
        var content = new ByteArrayContent(System.IO.File.ReadAllBytes(RepoPaths.Golden(name)));
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    [Fact]
    public async Task AstronautGivesTheGoldenBoxAdjacencyPainLevelAndLogits()
    {
        var golden = JsonDocument.Parse(System.IO.File.ReadAllText(RepoPaths.Golden("face_pipeline.json"))).RootElement
            .GetProperty("untrained_reference_model_outputs").GetProperty("results").GetProperty("astronaut.png");
        await using var app = RealApp();
        var client = await app.StartAsync(TimeSpan.FromMinutes(3));
        Assert.True(app.Models.IsReady, app.Models.Reason);

        var multipart = new MultipartFormDataContent { { File("astronaut.png", "image/png"), "image", "astronaut.png" } };
        var response = await client.PostAsync("/v1/pain/predict", multipart);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("299 - \"untrained model: not for clinical use\"", Assert.Single(response.Headers.GetValues("Warning")));
        var body = JsonDocument.Parse(text).RootElement;

        // OpenCvSharp 4.13 reproduces OpenCV 4.6's Haar box exactly here, so no pixel tolerance is used.
        var face = body.GetProperty("face");
        Assert.Equal(golden.GetProperty("box_xywh").EnumerateArray().Select(e => e.GetInt32()),
            new[] { "x", "y", "width", "height" }.Select(k => face.GetProperty(k).GetInt32()));

        Assert.Equal(Matrix(golden.GetProperty("adjacency")), Matrix(body.GetProperty("adjacency")));
        Assert.Equal(golden.GetProperty("pain_level").GetInt32(), body.GetProperty("painLevel").GetProperty("index").GetInt32());
        Assert.Equal("Obvious", body.GetProperty("painLevel").GetProperty("label").GetString());

        var expected = golden.GetProperty("logits").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var actual = body.GetProperty("logits").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.InRange(actual[i], expected[i] - 0.06, expected[i] + 0.06);

        var auGolden = golden.GetProperty("au_scores").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var aus = body.GetProperty("actionUnits").EnumerateArray().Select(a => a.GetProperty("probability").GetDouble()).ToArray();
        for (var i = 0; i < 8; i++)
            Assert.InRange(aus[i], auGolden[i] - 0.06, auGolden[i] + 0.06);

        var model = body.GetProperty("model");
        Assert.False(model.GetProperty("trained").GetBoolean());
        Assert.Equal("untrained-reference", model.GetProperty("version").GetString());
        Assert.Matches("^[0-9a-f]{64}$", model.GetProperty("weightsSha256").GetString());
    }

    [Fact]
    public async Task CatPhotoIsRejectedWithNoFaceAndBadBytesWithTheirCodes()
    {
        await using var app = RealApp();
        var client = await app.StartAsync(TimeSpan.FromMinutes(3));
        Assert.True(app.Models.IsReady, app.Models.Reason);

        var cat = await client.PostAsync("/v1/pain/predict", File("chelsea.png", "image/png"));
        var png = System.IO.File.ReadAllBytes(RepoPaths.Golden("astronaut.png"));
        var truncated = await client.PostAsync("/v1/pain/predict",
            new ByteArrayContent(png[..(png.Length / 3)]) { Headers = { ContentType = new("image/png") } });
        var text = await client.PostAsync("/v1/pain/predict",
            new ByteArrayContent("this is not a photo"u8.ToArray()) { Headers = { ContentType = new("image/jpeg") } });

        await Problems.AssertProblemAsync(cat, (HttpStatusCode)422, "no_face");
        await Problems.AssertProblemAsync(truncated, HttpStatusCode.BadRequest, "corrupt_image");
        await Problems.AssertProblemAsync(text, HttpStatusCode.UnsupportedMediaType, "unsupported_format");
    }

    private static int[][] Matrix(JsonElement rows) =>
        rows.EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetInt32()).ToArray()).ToArray();
}
