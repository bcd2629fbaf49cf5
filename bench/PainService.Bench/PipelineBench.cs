using PainService.Model.Inference;
using PainService.Vision;
using PainService.Vision.Detection;
using PainService.Vision.Imaging;
using PainService.Vision.Pipeline;

namespace PainService.Bench;

internal sealed record PipelineResult(int Batch, int Threads, double VisionMsPerImage, double ForwardMsPerBatch,
    double RawModelImagesPerSecond, double SequentialImagesPerSecond, OverlapResult Overlapped);

/// <summary>
/// The service's work without HTTP, in one process: decode + detect + preprocess each image (the service does
/// this on request threads), then one batched forward (its inference thread): first each part alone (the
/// sequential figure), then both overlapped as the service runs them (<see cref="OverlappedPipelineBench"/>),
/// which is the baseline the end-to-end load test is compared with. The model is configured as the service's
/// defaults configure it (conv+BN folded, the same intra-op threads).
/// </summary>
internal static class PipelineBench
{
    public static PipelineResult Run(string astronautPng, int batch, int threads, TimeSpan budget, TimeSpan overlapDuration,
        Action<string> log)
    {
        var options = new VisionOptions();
        var bytes = File.ReadAllBytes(astronautPng);
        using var detector = new HaarFaceDetector(options);
        var pipeline = new FacePipeline(new ImageDecoder(options), detector, options);
        var vision = Stats.Of(Timing.Measure(() => pipeline.Run(bytes), budget, warmup: 2));
        var input = pipeline.Run(bytes).Faces[0].Input;

        using var predictor = PainModelFactory.CreatePredictor(new PainModelOptions { Device = "cpu", FuseConvBn = true, IntraOpThreads = threads });
        var inputs = Enumerable.Repeat(input, batch).ToArray();
        var forward = Stats.Of(Timing.Measure(() => predictor.Predict(inputs), budget));
        var raw = batch / (forward.P50 / 1000.0);
        var end = batch / ((forward.P50 + batch * vision.P50) / 1000.0);
        log($"pipeline batch={batch} threads={threads}: vision p50 {vision.P50:F1} ms/image, forward p50 {forward.P50:F1} ms/batch " +
            $"-> raw model {raw:F2} img/s, sequential pipeline {end:F2} img/s");
        var overlapped = OverlappedPipelineBench.Run(bytes, predictor, preparers: Environment.ProcessorCount, maxBatch: batch,
            batchDelay: TimeSpan.FromMilliseconds(10), overlapDuration, maxImages: 2000, log);
        return new PipelineResult(batch, threads, vision.P50, forward.P50, raw, end, overlapped);
    }
}
