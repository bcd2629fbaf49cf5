using System.Collections.Concurrent;
using System.Diagnostics;
using PainService.Model.Inference;
using PainService.Vision;
using PainService.Vision.Detection;
using PainService.Vision.Imaging;
using PainService.Vision.Pipeline;

namespace PainService.Bench;

internal sealed record OverlapResult(int Preparers, int MaxBatch, int Images, double Seconds, double MeanBatch)
{
    public double ImagesPerSecond => Images / Seconds;
}

/// <summary>
/// The service's own design without HTTP, in one process, as the baseline the load test must reach: as many
/// decode + detect + preprocess threads as the service allows preparations (one Haar classifier each, from the
/// same pool type), feeding a bounded queue that one inference thread drains in batches of up to
/// <c>maxBatch</c>, collecting for at most the service's batch delay after the first frame.
/// </summary>
internal static class OverlappedPipelineBench
{
    public static OverlapResult Run(byte[] png, IPainPredictor predictor, int preparers, int maxBatch, TimeSpan batchDelay,
        TimeSpan duration, int maxImages, Action<string> log)
    {
        var options = new VisionOptions();
        using var detectors = new HaarDetectorPool(options);
        var pipeline = new FacePipeline(new ImageDecoder(options), detectors, options);
        predictor.Predict(Enumerable.Repeat(pipeline.Run(png).Faces[0].Input, maxBatch).ToArray()); // warm-up

        using var ready = new BlockingCollection<float[]>(boundedCapacity: 64);
        var clock = Stopwatch.StartNew();
        var issued = 0;
        var producers = Enumerable.Range(0, preparers).Select(_ => new Thread(() =>
        {
            while (clock.Elapsed < duration && Interlocked.Increment(ref issued) <= maxImages)
                ready.Add(pipeline.Run(png).Faces[0].Input);
        }) { IsBackground = true, Name = "bench-prepare" }).ToArray();
        foreach (var p in producers)
            p.Start();
        var closer = new Thread(() =>
        {
            foreach (var p in producers)
                p.Join();
            ready.CompleteAdding();
        }) { IsBackground = true };
        closer.Start();

        var (images, batches) = (0, 0);
        while (ready.TryTake(out var first, Timeout.Infinite))
        {
            var batch = new List<float[]>(maxBatch) { first };
            var window = Stopwatch.StartNew();
            while (batch.Count < maxBatch)
            {
                var left = batchDelay - window.Elapsed;
                if (left <= TimeSpan.Zero || !ready.TryTake(out var next, left))
                    break;
                batch.Add(next);
            }
            predictor.Predict(batch);
            images += batch.Count;
            batches++;
        }
        var result = new OverlapResult(preparers, maxBatch, images, clock.Elapsed.TotalSeconds, (double)images / Math.Max(1, batches));
        log($"overlapped pipeline preparers={preparers} batch≤{maxBatch}: {result.ImagesPerSecond:F2} img/s " +
            $"({images} images in {result.Seconds:F1} s, mean batch {result.MeanBatch:F1})");
        return result;
    }
}
