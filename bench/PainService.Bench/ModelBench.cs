using PainService.Model;
using PainService.Model.Inference;
using PainService.Model.Weights;
using TorchSharp;

namespace PainService.Bench;

internal sealed record ModelRow(string Variant, int Threads, int Batch, Stats Latency, double ImagesPerSecond,
    double GflopsPerSecond, double PercentOfPeak, double MaxAbsLogitDiff);

/// <summary>
/// Forward throughput of the served model through its public API (<see cref="PainModelFactory"/> and
/// <see cref="IPainPredictor.Predict"/>: inference mode, one dispose scope), on the formula-weights input.
/// </summary>
internal static class ModelBench
{
    public static List<ModelRow> Run(Machine machine, TimeSpan budgetPerCell, Action<string> log)
    {
        var config = GraphAuConfig.ForScheme(PainScheme.ThreeLevel);
        var flopsPerImage = FlopCount.Backbone(config) + FlopCount.Head(config);
        var rows = new List<ModelRow>();
        float[]? reference = null;
        foreach (var (variant, fuse) in new[] { ("eval", false), ("eval+fused conv/BN", true) })
        {
            using var predictor = PainModelFactory.CreatePredictor(new PainModelOptions { Device = "cpu", FuseConvBn = fuse });
            var probe = predictor.Predict([FormulaInput.Image(0)])[0].Logits;
            reference ??= probe;
            var diff = probe.Zip(reference, (a, b) => Math.Abs(a - b)).Max();
            foreach (var threads in new[] { 1, 2 }.Where(t => t <= machine.Cores))
            {
                torch.set_num_threads(threads);
                foreach (var batch in new[] { 1, 8, 32 })
                {
                    var inputs = Enumerable.Range(0, batch).Select(i => FormulaInput.Image(i % 2)).ToArray();
                    var samples = Timing.Measure(() => predictor.Predict(inputs), budgetPerCell, warmup: batch == 1 ? 2 : 1);
                    var stats = Stats.Of(samples);
                    var ips = batch / (stats.P50 / 1000.0);
                    var gflops = ips * flopsPerImage / 1e9;
                    var row = new ModelRow(variant, threads, batch, stats, ips, gflops, 100 * gflops * 1e9 / machine.PeakFlops(threads), diff);
                    rows.Add(row);
                    log($"model {variant,-20} threads={threads} batch={batch,2}: p50 {stats.P50,8:F1} ms  {ips,6:F2} img/s  " +
                        $"{gflops,6:F1} GFLOP/s  {row.PercentOfPeak,5:F1} % of {threads}-core peak  (n={stats.Count})");
                }
            }
        }
        return rows;
    }
}
