using PainService.Model.Inference;
using PainService.Vision;
using PainService.Vision.Detection;
using PainService.Vision.Imaging;
using PainService.Vision.Pipeline;
using TorchSharp;

namespace PainService.Bench;

internal sealed record PipelineResult(int Batch, int Threads, double VisionMsPerImage, double ForwardMsPerBatch,
    double RawModelImagesPerSecond, double PipelineImagesPerSecond);

/// <summary>
/// The service's work without HTTP, in one process: decode + detect + preprocess each image (the service does
/// this on request threads), then one batched forward (its inference thread). Sequential, so it is the
/// no-overlap reference the end-to-end load test is compared with.
/// </summary>
internal static class PipelineBench
{
    public static PipelineResult Run(string astronautPng, int batch, int threads, TimeSpan budget, Action<string> log)
    {
        var options = new VisionOptions();
        var bytes = File.ReadAllBytes(astronautPng);
        using var detector = new HaarFaceDetector(options);
        var pipeline = new FacePipeline(new ImageDecoder(options), detector, options);
        var vision = Stats.Of(Timing.Measure(() => pipeline.Run(bytes), budget, warmup: 2));
        var input = pipeline.Run(bytes).Faces[0].Input;

        using var predictor = PainModelFactory.CreatePredictor(new PainModelOptions { Device = "cpu" });
        torch.set_num_threads(threads);
        var inputs = Enumerable.Repeat(input, batch).ToArray();
        var forward = Stats.Of(Timing.Measure(() => predictor.Predict(inputs), budget));
        var raw = batch / (forward.P50 / 1000.0);
        var end = batch / ((forward.P50 + batch * vision.P50) / 1000.0);
        log($"pipeline batch={batch} threads={threads}: vision p50 {vision.P50:F1} ms/image, forward p50 {forward.P50:F1} ms/batch " +
            $"-> raw model {raw:F2} img/s, in-process pipeline {end:F2} img/s");
        return new PipelineResult(batch, threads, vision.P50, forward.P50, raw, end);
    }
}
