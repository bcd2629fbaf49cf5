using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using PainService.Api.Tests.Support;

namespace PainService.Api.Tests.Predictions;

public sealed class PredictBatchApiTests
{
    private static MultipartFormDataContent Frames(params (string Id, string Image)[] frames)
    {
        var content = new MultipartFormDataContent();
        foreach (var (id, image) in frames)
        {
            var part = new ByteArrayContent(Encoding.ASCII.GetBytes(image));
            part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            content.Add(part, id, "frame.jpg");
        }
        return content;
    }

    [Fact]
    public async Task EachFrameSucceedsOrFailsAloneAndResultsComeBackInOrder()
    {
        var predictor = new FakePredictor();
        await using var app = new PainApiFactory { Predictor = predictor, Settings = { ["Batching:MaxBatchDelay"] = "00:00:00.500" } };
        var client = await app.StartAsync();

        var response = await client.PostAsync("/v1/pain/predict-batch",
            Frames(("bed-4/t0", "VALUE:1"), ("bed-4/t1", "NOFACE"), ("bed-4/t2", "CORRUPT"), ("bed-4/t3", "VALUE:3"), ("bed-4/t4", "")));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("299 - \"untrained model: not for clinical use\"", Assert.Single(response.Headers.GetValues("Warning")));
        var frames = JsonDocument.Parse(text).RootElement.GetProperty("frames").EnumerateArray().ToArray();
        Assert.Equal(["bed-4/t0", "bed-4/t1", "bed-4/t2", "bed-4/t3", "bed-4/t4"], frames.Select(f => f.GetProperty("id").GetString()));
        Assert.Equal([200, 422, 400, 200, 400], frames.Select(f => f.GetProperty("status").GetInt32()));
        Assert.Equal(1f, frames[0].GetProperty("result").GetProperty("logits")[0].GetSingle());
        Assert.Equal(3f, frames[3].GetProperty("result").GetProperty("logits")[0].GetSingle());
        Assert.Equal("no_face", frames[1].GetProperty("problem").GetProperty("code").GetString());
        Assert.Equal("corrupt_image", frames[2].GetProperty("problem").GetProperty("code").GetString());
        Assert.Equal("empty_body", frames[4].GetProperty("problem").GetProperty("code").GetString());
        Assert.False(frames[1].TryGetProperty("result", out _));
        Assert.False(frames[0].TryGetProperty("problem", out _));
        Assert.Equal(2, predictor.BatchSizes[^1]); // the two good frames shared one forward pass
    }

    [Fact]
    public async Task DuplicateIdsTooManyFramesAndWrongTypeAreRequestLevelProblems()
    {
        await using var app = new PainApiFactory { Settings = { ["Batching:MaxFramesPerRequest"] = "2" } };
        var client = await app.StartAsync();

        var duplicate = await client.PostAsync("/v1/pain/predict-batch", Frames(("a", "VALUE:1"), ("a", "VALUE:2")));
        var tooMany = await client.PostAsync("/v1/pain/predict-batch", Frames(("a", "VALUE:1"), ("b", "VALUE:2"), ("c", "VALUE:3")));
        var raw = await client.PostAsync("/v1/pain/predict-batch",
            new ByteArrayContent("VALUE:1"u8.ToArray()) { Headers = { ContentType = new("image/png") } });
        var none = await client.PostAsync("/v1/pain/predict-batch",
            new MultipartFormDataContent { { new StringContent("x"), "note" } });

        await Problems.AssertProblemAsync(duplicate, HttpStatusCode.BadRequest, "duplicate_frame_id");
        await Problems.AssertProblemAsync(tooMany, HttpStatusCode.BadRequest, "too_many_frames");
        await Problems.AssertProblemAsync(raw, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await Problems.AssertProblemAsync(none, HttpStatusCode.BadRequest, "missing_image");
    }
}
