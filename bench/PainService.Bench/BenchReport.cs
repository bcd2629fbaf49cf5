using System.Globalization;
using System.Text;
using PainService.Model;

namespace PainService.Bench;

/// <summary>Collects the rows of one run and renders bench/RESULTS.md.</summary>
internal sealed class BenchReport(Machine machine, string commit, DateTime startedUtc)
{
    private readonly string _loadAtStart = Machine.LoadAverage();

    public List<ModelRow> Model { get; set; } = [];
    public List<HaarRow> Haar { get; set; } = [];
    public List<LayoutRow> Layout { get; set; } = [];
    public PipelineResult? Pipeline { get; set; }
    public List<ServiceRow> Service { get; } = [];

    public string ToMarkdown()
    {
        var config = GraphAuConfig.ForScheme(PainScheme.ThreeLevel);
        var backbone = FlopCount.Backbone(config) / 1e9;
        var head = FlopCount.Head(config) / 1e9;
        var md = new StringBuilder();
        void L(string line = "") => md.AppendLine(line);
        L("# Benchmark results");
        L();
        L($"Run: {startedUtc:yyyy-MM-dd HH:mm} UTC, commit `{commit}`, produced by `bench/run.sh`.");
        L($"Machine: {machine.Describe()}; SIMD: {machine.Flags}. 1-minute load average at start {_loadAtStart}, at end " +
          $"{Machine.LoadAverage()} (anything above ~0.5 means other work shared the cores and the numbers are pessimistic).");
        L($"FLOPs per 172×172 image (counted in `bench/PainService.Bench/FlopCount.cs`): ResNet-50 backbone {backbone:F2} GFLOP, " +
          $"GraphAU-Pain head {head:F2} GFLOP, total {backbone + head:F2} GFLOP. Percentages use the total against the peak of the threads used.");
        if (Model.Count > 0)
        {
            var headline = Model.Where(r => r.Batch == 8 && r.Threads == machine.Cores).MaxBy(r => r.PercentOfPeak);
            if (headline is not null)
                L($"\n**Model forward, batch 8, {headline.Threads} threads ({headline.Variant}): {headline.ImagesPerSecond:F2} img/s = " +
                  $"{headline.PercentOfPeak:F0} % of peak** ({headline.GflopsPerSecond:F1} of {machine.PeakFlops(headline.Threads) / 1e9:F1} GFLOP/s).");
            L();
            L("## Model forward (eval, inference mode, formula weights)");
            L();
            L("| variant | threads | batch | p50 ms | p95 ms | img/s | GFLOP/s | % of peak | max abs logit diff vs eval |");
            L("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var r in Model)
                L($"| {r.Variant} | {r.Threads} | {r.Batch} | {F(r.Latency.P50)} | {F(r.Latency.P95)} | {r.ImagesPerSecond:F2} | {r.GflopsPerSecond:F1} | {r.PercentOfPeak:F0} % | {r.MaxAbsLogitDiff:E1} |");
        }
        if (Layout.Count > 0)
        {
            L();
            L("## Layout experiment (raw forward, same net and input, one run)");
            L();
            L("| variant | threads | batch | p50 ms | img/s | % of peak | max abs logit diff vs NCHW |");
            L("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var r in Layout)
                L($"| {r.Variant} | {r.Threads} | {r.Batch} | {F(r.Latency.P50)} | {r.ImagesPerSecond:F2} | {r.PercentOfPeak:F0} % | {r.MaxAbsLogitDiff:E1} |");
        }
        if (Haar.Count > 0)
        {
            L();
            L("## Haar face detection, one 640×480 frame, one thread");
            L();
            L("| setting | p50 ms | mean ms | astronaut box (golden [177,66,95,95]) |");
            L("| --- | ---: | ---: | --- |");
            foreach (var r in Haar)
                L($"| {r.Setting} | {F(r.Latency.P50)} | {F(r.Latency.Mean)} | {r.AstronautBox} |");
        }
        if (Pipeline is { } p)
        {
            L();
            L("## In-process pipeline (no HTTP)");
            L();
            L($"Batch {p.Batch}, {p.Threads} threads: vision (decode + detect + preprocess) {F(p.VisionMsPerImage)} ms/image, forward " +
              $"{F(p.ForwardMsPerBatch)} ms/batch. Raw batched model {p.RawModelImagesPerSecond:F2} img/s; both one after the other " +
              $"{p.SequentialImagesPerSecond:F2} img/s.");
            L();
            L($"**Overlapped as the service runs it** ({p.Overlapped.Preparers} decode+detect threads, one inference thread, batches ≤ " +
              $"{p.Overlapped.MaxBatch}): **{p.Overlapped.ImagesPerSecond:F2} img/s** ({p.Overlapped.Images} images in " +
              $"{p.Overlapped.Seconds:F1} s, mean batch {p.Overlapped.MeanBatch:F1}). This is the baseline of the load test below.");
        }
        if (Service.Count > 0)
        {
            L();
            L("## Service end to end (loopback, multipart astronaut.png, embedded model, default configuration)");
            L();
            L("A client told 503 waits its Retry-After. \"5xx other\" counts any 5xx that is not a 503 with Retry-After; " +
              "\"unanswered\" counts requests with no HTTP answer. /health/live and /metrics are probed every 250 ms during each level.");
            L();
            L("| clients | ok | 503 + Retry-After | 5xx other | unanswered | other 4xx | req/s | p50 ms | p95 ms | p99 ms | /health/live p99 ms | /metrics p99 ms | ratio to overlapped pipeline | ratio to raw batched model |");
            L("| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var r in Service)
                L($"| {r.Clients} | {r.Ok} | {r.Overloaded} | {r.Violations} | {r.Unanswered} | {r.Other} | {r.RequestsPerSecond:F2} | " +
                  $"{F(r.Latency.P50)} | {F(r.Latency.P95)} | {F(r.Latency.P99)} | {F(r.LiveProbe.P99)} | {F(r.MetricsProbe.P99)} | " +
                  $"{Ratio(r.RequestsPerSecond, Pipeline?.Overlapped.ImagesPerSecond)} | {Ratio(r.RequestsPerSecond, Pipeline?.RawModelImagesPerSecond)} |");
        }
        Goals(L);
        return md.ToString();
    }

    /// <summary>Issue 5's targets, judged from this run's numbers (nothing here is hand-edited).</summary>
    private void Goals(Action<string> L)
    {
        L("");
        L("## Goals (issues 3 and 5), judged from this run");
        L("");
        var batch8 = Model.Where(r => r.Batch == 8 && r.Threads == machine.Cores).MaxBy(r => r.PercentOfPeak);
        if (batch8 is not null)
            L($"- Model forward ≥ 70 % of peak at batch 8: {Met(batch8.PercentOfPeak >= 70)} ({batch8.PercentOfPeak:F0} %, {batch8.Variant}).");
        var at16 = Service.FirstOrDefault(r => r.Clients == 16);
        if (at16 is not null && Pipeline is { } p)
            L($"- Service at 16 clients ≥ 0.9 × the overlapped in-process pipeline (issue 3): " +
              $"{Met(at16.RequestsPerSecond >= 0.9 * p.Overlapped.ImagesPerSecond)} ({at16.RequestsPerSecond / p.Overlapped.ImagesPerSecond:F2}; " +
              $"{at16.RequestsPerSecond / p.RawModelImagesPerSecond:F2} of the raw batched model).");
        if (Service.Count > 0)
        {
            var answered = Service.All(r => r.Violations == 0 && r.Unanswered == 0);
            L($"- No 5xx other than 503 with Retry-After, every request answered (issue 3): {Met(answered)} " +
              $"({Service.Sum(r => r.Violations)} other 5xx, {Service.Sum(r => r.Unanswered)} unanswered of {Service.Sum(r => r.Ok + r.Overloaded + r.Violations + r.Unanswered + r.Other)}).");
            var over = Service.MaxBy(r => r.Clients)!;
            L($"- Over capacity, 503s carry Retry-After (issue 3): {Met(over.Overloaded > 0)} at {over.Clients} clients ({over.Overloaded} of them).");
            var probes = Service.Max(r => Math.Max(r.LiveProbe.P99, r.MetricsProbe.P99));
            L($"- /health/live and /metrics p99 < 1 s under load (issue 3): {Met(probes < 1000)} (worst p99 {F(probes)} ms).");
        }
        var haar = Haar.FirstOrDefault();
        if (haar is not null)
            L($"- Haar ≤ 50 ms per 640×480 frame (default configuration) with the astronaut box exact: " +
              $"{Met(haar.Latency.P50 <= 50 && haar.AstronautBox == "[177,66,95,95]")} ({F(haar.Latency.P50)} ms, box {haar.AstronautBox}).");
    }

    private static string Met(bool met) => met ? "met" : "not met";

    private static string F(double v) => double.IsNaN(v) ? "-" : v.ToString("F1", CultureInfo.InvariantCulture);

    private static string Ratio(double a, double? b) => b is > 0 ? (a / b.Value).ToString("F2", CultureInfo.InvariantCulture) : "-";
}
