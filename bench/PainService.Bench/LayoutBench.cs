using PainService.Model;
using PainService.Model.Inference;
using PainService.Model.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace PainService.Bench;

internal sealed record LayoutRow(string Variant, int Threads, int Batch, Stats Latency, double ImagesPerSecond, double PercentOfPeak, double MaxAbsLogitDiff);

/// <summary>
/// Experiment, not the served path: channels-last (NHWC-strided) input and 4-D conv weights, which lets oneDNN skip
/// layout reorders, against the default NCHW layout, on the same net and input within one run.
/// </summary>
internal static class LayoutBench
{
    public static List<LayoutRow> Run(Machine machine, int batch, int threads, TimeSpan budget, Action<string> log)
    {
        torch.set_num_threads(threads);
        var flopsPerImage = FlopCount.Backbone(GraphAuConfig.ForScheme(PainScheme.ThreeLevel)) + FlopCount.Head(GraphAuConfig.ForScheme(PainScheme.ThreeLevel));
        var data = FormulaInput.Batch(batch);
        var rows = new List<LayoutRow>();
        float[]? reference = null;
        foreach (var (variant, fuse, channelsLast) in new[] { ("NCHW", false, false), ("channels-last", false, true), ("fused NCHW", true, false), ("fused, channels-last input", true, true) })
        {
            using var net = PainModelFactory.CreateUntrainedReference();
            if (fuse)
                net.FuseConvBnForInference();
            if (channelsLast && !fuse)
                using (torch.no_grad())
                    foreach (var (_, p) in net.named_parameters().Where(p => p.parameter.dim() == 4))
                        p.set_(ToChannelsLast(p));
            float[] Forward()
            {
                using var _ = torch.inference_mode();
                using var scope = NewDisposeScope();
                var x = tensor(data, [batch, 3, 172, 172]);
                if (channelsLast)
                    x = ToChannelsLast(x);
                return net.call(x).Logits.data<float>().ToArray();
            }
            var logits = Forward();
            reference ??= logits;
            var diff = logits.Zip(reference, (a, b) => Math.Abs(a - b)).Max();
            var stats = Stats.Of(Timing.Measure(() => Forward(), budget));
            var ips = batch / (stats.P50 / 1000.0);
            var pct = 100 * ips * flopsPerImage / machine.PeakFlops(threads);
            rows.Add(new LayoutRow(variant, threads, batch, stats, ips, pct, diff));
            log($"layout {variant,-28} threads={threads} batch={batch}: p50 {stats.P50,7:F1} ms  {ips,6:F2} img/s  {pct,5:F1} % of peak  max|Δlogit| {diff:E1}");
        }
        return rows;
    }

    // Same shape and values, NHWC strides: the layout libtorch calls channels_last.
    private static Tensor ToChannelsLast(Tensor t) => t.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
}
