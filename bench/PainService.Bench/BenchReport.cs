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
              $"{F(p.ForwardMsPerBatch)} ms/batch. Raw batched model {p.RawModelImagesPerSecond:F2} img/s; sequential pipeline " +
              $"{p.PipelineImagesPerSecond:F2} img/s.");
        }
        if (Service.Count > 0)
        {
            L();
            L("## Service end to end (loopback, multipart astronaut.png, embedded model)");
            L();
            L("| clients | ok | errors | req/s | p50 ms | p95 ms | p99 ms | ratio to in-process pipeline | ratio to raw batched model |");
            L("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var r in Service)
                L($"| {r.Clients} | {r.Ok} | {r.Errors} ({r.ErrorsByStatus}) | {r.RequestsPerSecond:F2} | {F(r.Latency.P50)} | {F(r.Latency.P95)} | {F(r.Latency.P99)} | " +
                  $"{Ratio(r.RequestsPerSecond, Pipeline?.PipelineImagesPerSecond)} | {Ratio(r.RequestsPerSecond, Pipeline?.RawModelImagesPerSecond)} |");
        }
        Goals(L);
        return md.ToString();
    }

    /// <summary>Issue 5's targets, judged from this run's numbers (nothing here is hand-edited).</summary>
    private void Goals(Action<string> L)
    {
        L("");
        L("## Goals (issue 5), judged from this run");
        L("");
        var batch8 = Model.Where(r => r.Batch == 8 && r.Threads == machine.Cores).MaxBy(r => r.PercentOfPeak);
        if (batch8 is not null)
            L($"- Model forward ≥ 70 % of peak at batch 8: {Met(batch8.PercentOfPeak >= 70)} ({batch8.PercentOfPeak:F0} %, {batch8.Variant}).");
        var at16 = Service.FirstOrDefault(r => r.Clients == 16);
        if (at16 is not null && Pipeline is { } p)
            L($"- Service at 16 clients ≥ 0.9 × in-process pipeline: {Met(at16.RequestsPerSecond >= 0.9 * p.PipelineImagesPerSecond)} " +
              $"({at16.RequestsPerSecond / p.PipelineImagesPerSecond:F2}; {at16.RequestsPerSecond / p.RawModelImagesPerSecond:F2} of the raw batched model).");
        var haar = Haar.FirstOrDefault();
        if (haar is not null)
            L($"- Haar ≤ 50 ms per 640×480 frame (default configuration) with the astronaut box exact: " +
              $"{Met(haar.Latency.P50 <= 50 && haar.AstronautBox == "[177,66,95,95]")} ({F(haar.Latency.P50)} ms, box {haar.AstronautBox}).");
    }

    private static string Met(bool met) => met ? "met" : "not met";

    private static string F(double v) => double.IsNaN(v) ? "-" : v.ToString("F1", CultureInfo.InvariantCulture);

    private static string Ratio(double a, double? b) => b is > 0 ? (a / b.Value).ToString("F2", CultureInfo.InvariantCulture) : "-";
}
