using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using PainService.Api.Tests.Support;
using PainService.Model;
using PainService.Model.Checkpoints;
using PainService.Model.Inference;
using PainService.Model.Weights;
using PainService.Testing;
using PainService.Vision;
using PainService.Vision.Imaging;
using PainService.Vision.Preprocessing;
using PainService.Worker.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace PainService.Api.Tests.EndToEnd;

/// <summary>
/// Issues 3 and 4 through HTTP with the real vision pipeline and the real network: a model whose input is not 172 px
/// (the worker's <c>ci</c> preset, 96 px, as the README's worker demo and the job round trip activate) must be served
/// with the worker's evaluation transform at 96, and a checkpoint's calibration temperature must shape the
/// probabilities (logits stay raw). The reference is the network run directly on the input the worker's evaluation
/// path (<see cref="FrameTransform.Test"/> on the 172×172 stored crop) builds for the box the service reports.
/// </summary>
public sealed class SmallInputModelTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("painservice-ci96-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task AStartUpModelOf96PxWithTemperature2AnswersWithItsLogitsAndCalibratedProbabilities()
    {
        var checkpoint = Save("ci96-t2", new JsonObject { ["temperature"] = 2.0 });
        await using var app = new PainApiFactory
        {
            RealVision = true, RealModel = true,
            Settings = { ["Model:Device"] = "cpu", ["Model:CheckpointPath"] = checkpoint, ["ModelRegistry:Path"] = _folder },
        };
        var client = await app.StartAsync(TimeSpan.FromMinutes(3));
        Assert.True(app.Models.IsReady, app.Models.Reason);
        Assert.Equal(96, app.Models.Active!.InputSize);

        var body = await PredictAstronautAsync(client);

        var logits = AssertLogitsEqualTheWorkersEvalPath(body, checkpoint);
        var model = body.GetProperty("model");
        Assert.Equal("ci96-t2", model.GetProperty("version").GetString());
        Assert.Equal(2.0, model.GetProperty("temperature").GetDouble());
        var probabilities = Probabilities(body);
        var calibrated = Softmax(logits, 2);
        var plain = Softmax(logits, 1);
        var error = probabilities.Zip(calibrated, (a, e) => Math.Abs(a - e)).Max();
        var moved = probabilities.Zip(plain, (a, e) => Math.Abs(a - e)).Max();
        output.WriteLine($"probabilities {Format(probabilities)}; softmax(logits/2) max abs error {error:E2}; distance from softmax(logits) {moved:E2}");
        Assert.True(error <= 1e-6, $"probabilities differ from softmax(logits / 2) by {error:E2}");
        Assert.True(moved > 1e-3, $"calibrated probabilities are only {moved:E2} from the uncalibrated ones");
        Assert.Equal(Array.IndexOf(logits, logits.Max()), body.GetProperty("painLevel").GetProperty("index").GetInt32());

        var info = JsonDocument.Parse(await client.GetStringAsync("/v1/models/ci96-t2")).RootElement;
        Assert.Equal(2.0, info.GetProperty("temperature").GetDouble());
        Assert.True(info.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task ActivatingA96PxModelOverThe172PxReferenceServesItAtItsOwnInputSize()
    {
        var checkpoint = Save("ci96", new JsonObject());
        Save("ci96-bad-temperature", new JsonObject { ["temperature"] = -1.0 });
        await using var app = new PainApiFactory
        {
            RealVision = true, RealModel = true, Settings = { ["Model:Device"] = "cpu", ["ModelRegistry:Path"] = _folder },
        };
        var client = await app.StartAsync(TimeSpan.FromMinutes(3));
        Assert.True(app.Models.IsReady, app.Models.Reason);
        var admin = app.CreateAnonymousClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", PainApiFactory.AdminKey);

        var reference = await PredictAstronautAsync(client); // the embedded 172-px model
        Assert.Equal("untrained-reference", reference.GetProperty("model").GetProperty("version").GetString());
        Assert.Equal(1.0, reference.GetProperty("model").GetProperty("temperature").GetDouble());
        var before = JsonDocument.Parse(await client.GetStringAsync("/v1/models")).RootElement;
        Assert.Equal(172, before.GetProperty("active").GetProperty("config").GetProperty("inputSize").GetInt32()); // the embedded model's
        Assert.Equal(96, before.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("version").GetString() == "ci96")
            .GetProperty("config").GetProperty("inputSize").GetInt32()); // each version's manifest config

        // A checkpoint whose calibration is unusable is refused at activation; the old model keeps serving.
        var refused = await admin.PostAsync("/v1/models/ci96-bad-temperature/activate", null);
        await Problems.AssertProblemAsync(refused, (HttpStatusCode)422, "model_load_failed");
        Assert.Equal(172, app.Models.Active!.InputSize);

        var activation = await admin.PostAsync("/v1/models/ci96/activate", null);
        var activated = await activation.Content.ReadAsStringAsync();
        Assert.True(activation.StatusCode == HttpStatusCode.OK, activated);
        Assert.Equal(1.0, JsonDocument.Parse(activated).RootElement.GetProperty("temperature").GetDouble());
        Assert.Equal(96, app.Models.Active!.InputSize);

        var body = await PredictAstronautAsync(client);

        Assert.Equal("ci96", body.GetProperty("model").GetProperty("version").GetString());
        Assert.Equal(1.0, body.GetProperty("model").GetProperty("temperature").GetDouble());
        Assert.Equal(reference.GetProperty("face").ToString(), body.GetProperty("face").ToString());
        var logits = AssertLogitsEqualTheWorkersEvalPath(body, checkpoint);
        var error = Probabilities(body).Zip(Softmax(logits, 1), (a, e) => Math.Abs(a - e)).Max();
        output.WriteLine($"uncalibrated probabilities vs softmax(logits): max abs error {error:E2}");
        Assert.True(error <= 1e-6, $"probabilities differ from softmax(logits) by {error:E2}");
        var listed = JsonDocument.Parse(await client.GetStringAsync("/v1/models")).RootElement.GetProperty("models").EnumerateArray()
            .ToDictionary(m => m.GetProperty("version").GetString()!, m => m.GetProperty("temperature"));
        Assert.Equal(1.0, listed["ci96"].GetDouble());
        Assert.Equal(JsonValueKind.Null, listed["ci96-bad-temperature"].ValueKind);
    }

    /// <summary>
    /// A ci-preset (96 px) pain model with the formula weights and a trained manifest, as the worker would write it.
    /// </summary>
    private string Save(string version, JsonObject metadata)
    {
        var config = ModelPresets.Get("ci", PainScheme.ThreeLevel);
        Assert.Equal(96, config.InputSize);
        using var net = FormulaWeights.Apply(new GraphAuPainNet(config));
        var path = Path.Combine(_folder, $"{version}.ckpt");
        NativeCheckpoint.Save(path, new CheckpointManifest
        {
            Architecture = config, Scheme = PainScheme.ThreeLevel, Version = version, Trained = true, Metadata = metadata,
        }, net);
        return path;
    }

    private static async Task<JsonElement> PredictAstronautAsync(HttpClient client)
    {
        var content = new ByteArrayContent(File.ReadAllBytes(RepoPaths.Golden("astronaut.png")));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var response = await client.PostAsync("/v1/pain/predict", new MultipartFormDataContent { { content, "image", "astronaut.png" } });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>
    /// The response's logits against the checkpoint run directly on the worker's evaluation input for the reported
    /// box: the face cropped from the decoded photo, resized to the 172×172 stored crop (spec §3.1), then
    /// <see cref="FrameTransform.Test"/> at the model's 96 px.
    /// </summary>
    private float[] AssertLogitsEqualTheWorkersEvalPath(JsonElement body, string checkpoint)
    {
        var f = body.GetProperty("face");
        var box = new FaceBox(f.GetProperty("x").GetInt32(), f.GetProperty("y").GetInt32(), f.GetProperty("width").GetInt32(), f.GetProperty("height").GetInt32());
        var photo = new ImageDecoder(new VisionOptions()).Decode(File.ReadAllBytes(RepoPaths.Golden("astronaut.png")));
        var face = Crop(photo, box);
        var stored = new DecodedImage(PilBilinearResampler.Resize(face.Rgb, face.Width, face.Height, 172, 172), 172, 172);
        var input = new FrameTransform(96, CropMode.Legacy).Test(stored);

        var (net, _) = NativeCheckpoint.LoadPainModel(checkpoint);
        float[] expected;
        using (net)
        using (no_grad())
        using (NewDisposeScope())
        {
            net.eval();
            expected = net.call(tensor(input, [1, 3, 96, 96])).Logits.data<float>().ToArray();
        }

        var actual = body.GetProperty("logits").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(3, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - (double)a)).Max();
        output.WriteLine($"logits {Format(actual)} vs direct {Format(expected)}: max abs difference {worst:E2}");
        Assert.True(worst <= 1e-5, $"the service's logits differ from the worker's eval path by {worst:E2}");
        return actual;
    }

    private static DecodedImage Crop(DecodedImage image, FaceBox box)
    {
        var x0 = Math.Clamp(box.X, 0, image.Width - 1);
        var y0 = Math.Clamp(box.Y, 0, image.Height - 1);
        var w = Math.Clamp(box.X + box.Width, x0 + 1, image.Width) - x0;
        var h = Math.Clamp(box.Y + box.Height, y0 + 1, image.Height) - y0;
        var rgb = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
            Array.Copy(image.Rgb, ((y0 + y) * image.Width + x0) * 3, rgb, y * w * 3, w * 3);
        return new DecodedImage(rgb, w, h);
    }

    private static double[] Probabilities(JsonElement body) =>
        new[] { "NoPain", "Mild", "Obvious" }.Select(l => body.GetProperty("probabilities").GetProperty(l).GetDouble()).ToArray();

    private static double[] Softmax(float[] logits, double temperature)
    {
        var exp = logits.Select(l => Math.Exp(l / temperature)).ToArray();
        return exp.Select(e => e / exp.Sum()).ToArray();
    }

    private static string Format(IEnumerable<float> values) => string.Join(", ", values.Select(v => v.ToString("F6")));

    private static string Format(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("F6")));
}
