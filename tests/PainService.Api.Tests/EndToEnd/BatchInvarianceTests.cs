using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using PainService.Api.Tests.Support;
using PainService.Model.Inference;
using PainService.Testing;
using PainService.Vision;
using PainService.Vision.Detection;
using PainService.Vision.Imaging;
using PainService.Vision.Pipeline;
using Xunit.Abstractions;

namespace PainService.Api.Tests.EndToEnd;

/// <summary>
/// Batching must not change answers: the real model gives an image the same outputs alone and inside a batch of 16
/// strangers, and concurrent HTTP requests (which the batcher groups) get exactly what they get one at a time.
/// </summary>
public sealed class BatchInvarianceTests(ITestOutputHelper output)
{
    private static float[] AstronautInput()
    {
        var options = new VisionOptions();
        using var detector = new HaarFaceDetector(options);
        var pipeline = new FacePipeline(new ImageDecoder(options), detector, options);
        return pipeline.Run(File.ReadAllBytes(RepoPaths.Golden("astronaut.png"))).Faces[0].Input;
    }

    [Fact]
    public void LogitsAreTheSameAloneAndInABatchOf16()
    {
        var input = AstronautInput();
        var random = new Random(12345);
        var strangers = Enumerable.Range(0, 15)
            .Select(_ => Enumerable.Range(0, input.Length).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray())
            .ToList();
        using var predictor = PainModelFactory.CreatePredictor(new PainModelOptions { Device = "cpu" });

        var alone = predictor.Predict([input])[0];
        var batch = predictor.Predict([.. strangers.Take(7), input, .. strangers.Skip(7)]);
        var inBatch = batch[7];

        Assert.Equal(16, batch.Count);
        var logitError = alone.Logits.Zip(inBatch.Logits, (a, b) => Math.Abs(a - b)).Max();
        var auError = alone.AuScores.Zip(inBatch.AuScores, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"alone vs batch of 16: max logit error {logitError:E2}, max AU error {auError:E2}");
        Assert.True(logitError <= 1e-5, $"max |logit alone − logit in batch| = {logitError:E2}");
        Assert.True(auError <= 1e-5, $"max |AU alone − AU in batch| = {auError:E2}");
        Assert.Equal(alone.Adjacency, inBatch.Adjacency);
        // The strangers really are different inputs with different answers (no accidental broadcast).
        Assert.NotEqual(inBatch.Logits, batch[0].Logits);
    }

    [Fact]
    public async Task ConcurrentRequestsEqualTheSequentialRunAndBadFramesFailAlone()
    {
        await using var app = new PainApiFactory
        {
            RealVision = true,
            RealModel = true,
            Settings =
            {
                ["Model:Device"] = "cpu",
                ["Batching:MaxBatchSize"] = "16",
                ["Batching:MaxBatchDelay"] = "00:00:00.500", // long window so the concurrent requests share batches
            },
        };
        var client = await app.StartAsync(TimeSpan.FromMinutes(3));
        Assert.True(app.Models.IsReady, app.Models.Reason);
        var astronaut = File.ReadAllBytes(RepoPaths.Golden("astronaut.png"));
        var cat = File.ReadAllBytes(RepoPaths.Golden("chelsea.png"));

        var sequential = await PostAsync(client, astronaut);
        Assert.Equal(HttpStatusCode.OK, sequential.Status);

        var frames = Enumerable.Range(0, 8).Select(i => i switch
        {
            2 => cat,
            5 => astronaut[..(astronaut.Length / 2)],
            _ => astronaut,
        }).ToArray();
        var concurrent = await Task.WhenAll(frames.Select(f => PostAsync(client, f)));

        for (var i = 0; i < frames.Length; i++)
        {
            var (status, body) = concurrent[i];
            if (i == 2)
            {
                Assert.Equal((HttpStatusCode)422, status);
                Assert.Equal("no_face", body.GetProperty("code").GetString());
                continue;
            }
            if (i == 5)
            {
                Assert.Equal(HttpStatusCode.BadRequest, status);
                Assert.Equal("corrupt_image", body.GetProperty("code").GetString());
                continue;
            }
            Assert.Equal(HttpStatusCode.OK, status);
            var expected = Logits(sequential.Body);
            var actual = Logits(body);
            Assert.True(expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max() <= 1e-5, $"frame {i}: {string.Join(",", actual)}");
            Assert.Equal(sequential.Body.GetProperty("adjacency").ToString(), body.GetProperty("adjacency").ToString());
        }

        var metrics = await client.GetStringAsync("/metrics");
        var batches = double.Parse(Between(metrics, "painservice_batch_size_count ", "\n"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(batches < 7, $"6 concurrent faces ran in {batches - 1} batches: they were not batched");
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, byte[] image)
    {
        var content = new ByteArrayContent(image);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var response = await client.PostAsync("/v1/pain/predict", content);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    private static double[] Logits(JsonElement body) => body.GetProperty("logits").EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static string Between(string text, string start, string end)
    {
        var i = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        return text[i..text.IndexOf(end, i, StringComparison.Ordinal)];
    }
}
