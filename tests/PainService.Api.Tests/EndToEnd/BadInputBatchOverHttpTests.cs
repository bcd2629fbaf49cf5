using System.Net;
using System.Text.Json;
using PainService.Api.Tests.Support;
using PainService.Vision.Tests.Corpus;
using PainService.Vision.Tests.Golden;

namespace PainService.Api.Tests.EndToEnd;

/// <summary>
/// The whole bad-input corpus in one <c>predict-batch</c> request between two good photos, through the real decoder
/// and detector: each frame gets its own status and code (the same as alone), and the good frames their faces.
/// </summary>
public sealed class BadInputBatchOverHttpTests
{
    [Fact]
    public async Task EveryCorpusFrameFailsAloneWithItsCodeAndTheGoodFramesSucceed()
    {
        var expected = BadInputOverHttpTests.Expected.ToDictionary(row => (string)row[0], row => ((int)row[1], (string)row[2]));
        await using var app = new PainApiFactory
        {
            RealVision = true,
            Predictor = new FakePredictor(inputSize: 172),
            Settings = { ["Batching:MaxFramesPerRequest"] = "32" },
        };
        var client = await app.StartAsync();
        string[] ids = ["good-first", .. BadInputCases.Names, "good-last"];
        var multipart = new MultipartFormDataContent();
        foreach (var id in ids)
        {
            var bytes = id.StartsWith("good", StringComparison.Ordinal) ? GoldenFiles.Astronaut : BadInputCases.Build(id);
            multipart.Add(BadInputOverHttpTests.Raw(bytes, "image/jpeg"), id, "frame.jpg");
        }

        var response = await client.PostAsync("/v1/pain/predict-batch", multipart);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var frames = JsonDocument.Parse(text).RootElement.GetProperty("frames").EnumerateArray().ToArray();
        Assert.Equal(ids, frames.Select(f => f.GetProperty("id").GetString()));
        foreach (var frame in frames)
        {
            var id = frame.GetProperty("id").GetString()!;
            if (id.StartsWith("good", StringComparison.Ordinal))
            {
                Assert.Equal(200, frame.GetProperty("status").GetInt32());
                var face = frame.GetProperty("result").GetProperty("face");
                Assert.Equal([177, 66, 95, 95], new[] { "x", "y", "width", "height" }.Select(k => face.GetProperty(k).GetInt32()));
                continue;
            }
            var (status, code) = expected[id];
            Assert.True(status == frame.GetProperty("status").GetInt32(), $"{id}: {frame}");
            Assert.Equal(code, frame.GetProperty("problem").GetProperty("code").GetString());
            Assert.False(frame.TryGetProperty("result", out _));
        }
    }
}
