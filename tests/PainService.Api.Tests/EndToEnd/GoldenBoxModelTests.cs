using System.Text.Json;
using PainService.Model;
using PainService.Model.Inference;
using PainService.Testing;
using PainService.Vision;
using PainService.Vision.Imaging;
using PainService.Vision.Preprocessing;

namespace PainService.Api.Tests.EndToEnd;

/// <summary>
/// The tight half of the astronaut check: with the golden box fed directly (no detector in the loop), decode →
/// crop → resize → normalise → embedded model must give the authors' logits, AU scores and graph. The HTTP test
/// allows 0.06 on the logits in case a detector version moves the box; this one allows float32 noise only.
/// </summary>
public sealed class GoldenBoxModelTests
{
    [Fact]
    public void GoldenBoxThroughPreprocessingAndTheEmbeddedModelGivesTheReferenceOutputs()
    {
        var golden = JsonDocument.Parse(File.ReadAllText(RepoPaths.Golden("face_pipeline.json"))).RootElement
            .GetProperty("untrained_reference_model_outputs").GetProperty("results").GetProperty("astronaut.png");
        var b = golden.GetProperty("box_xywh").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var image = new ImageDecoder(new VisionOptions()).Decode(File.ReadAllBytes(RepoPaths.Golden("astronaut.png")));
        var input = ModelInputBuilder.FromFace(image, new FaceBox(b[0], b[1], b[2], b[3]));

        using var predictor = PainModelFactory.CreatePredictor(new PainModelOptions { Device = "cpu", IntraOpThreads = 1 });
        var prediction = Assert.Single(predictor.Predict([input]));

        static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        AssertClose(Doubles(golden.GetProperty("logits")), prediction.Logits, 1e-5);
        AssertClose(Doubles(golden.GetProperty("au_scores")), prediction.AuScores, 1e-5);
        var adjacency = golden.GetProperty("adjacency").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        Assert.Equal(adjacency, prediction.Adjacency);
        Assert.Equal(golden.GetProperty("pain_level").GetInt32(), Array.IndexOf(prediction.Logits, prediction.Logits.Max()));
        Assert.Equal(PainScheme.ThreeLevel.Labels(), ["NoPain", "Mild", "Obvious"]);
    }

    private static void AssertClose(double[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= tolerance, $"max abs difference {worst:E2} > {tolerance:E0}");
    }
}
