using System.Net;
using System.Text.Json;
using PainService.Api.Tests.Support;
using PainService.Vision.Tests.Corpus;
using PainService.Vision.Tests.Golden;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace PainService.Api.Tests.EndToEnd;

/// <summary>
/// An EXIF-rotated photo is the upright photo to the service: for each of the 8 orientations the real pipeline and
/// the real embedded model give the same face box (in upright coordinates) and the same logits as the upright PNG.
/// </summary>
public sealed class ExifOrientationOverHttpTests
{
    [Fact]
    public async Task EveryOrientationGivesTheUprightFaceAndLogits()
    {
        await using var app = new PainApiFactory { RealVision = true, RealModel = true, Settings = { ["Model:Device"] = "cpu" } };
        var client = await app.StartAsync(TimeSpan.FromMinutes(3));
        Assert.True(app.Models.IsReady, app.Models.Reason);

        var upright = await PredictAsync(client, GoldenFiles.Astronaut, "astronaut.png");
        Assert.Equal([177, 66, 95, 95], Box(upright)); // the golden Haar box of face_pipeline.json
        using var image = Image.Load<Rgb24>(GoldenFiles.Astronaut);
        foreach (var orientation in ExifOriented.Orientations)
        {
            var rotated = await PredictAsync(client, ExifOriented.Png(image, orientation), $"camera-{orientation}.png");

            Assert.Equal(Box(upright), Box(rotated));
            var expected = Logits(upright);
            var actual = Logits(rotated);
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5,
                    $"orientation {orientation}, logit {i}: {actual[i]} vs upright {expected[i]}");
            Assert.Equal(upright.GetProperty("painLevel").GetProperty("index").GetInt32(),
                rotated.GetProperty("painLevel").GetProperty("index").GetInt32());
        }
    }

    private static async Task<JsonElement> PredictAsync(HttpClient client, byte[] png, string fileName)
    {
        var response = await client.PostAsync("/v1/pain/predict", BadInputOverHttpTests.Multipart(png, fileName));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{fileName}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static int[] Box(JsonElement body)
    {
        var face = body.GetProperty("face");
        return [face.GetProperty("x").GetInt32(), face.GetProperty("y").GetInt32(),
            face.GetProperty("width").GetInt32(), face.GetProperty("height").GetInt32()];
    }

    private static double[] Logits(JsonElement body) =>
        body.GetProperty("logits").EnumerateArray().Select(e => e.GetDouble()).ToArray();
}
