using PainService.Bench;
using PainService.Vision.Memory;

// On-demand benchmarks: bench/run.sh builds and runs this, then commits nothing. Every loop is bounded in time.
var settings = BenchSettings.Parse(args);
// The service's own malloc settings, so in-process numbers are comparable with the service's.
NativeMemoryTuning.Apply();
var machine = Machine.Detect();
var log = (string line) => Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");
log(machine.Describe());
var report = new BenchReport(machine, settings.Commit, DateTime.UtcNow);

if (settings.Wants("model"))
    report.Model = ModelBench.Run(machine, settings.CellBudget, log);
if (settings.Wants("layout"))
    report.Layout = LayoutBench.Run(machine, batch: 8, threads: Math.Min(2, machine.Cores), settings.CellBudget, log);
if (settings.Wants("haar"))
    report.Haar = HaarBench.Run(settings.Astronaut, settings.CellBudget, log);
if (settings.Wants("pipeline") || settings.Wants("service"))
    report.Pipeline = PipelineBench.Run(settings.Astronaut, batch: 8, threads: Math.Min(2, machine.Cores), settings.CellBudget,
        settings.ServiceDuration, log);
if (settings.Wants("service"))
{
    var png = File.ReadAllBytes(settings.Astronaut);
    await using var service = await ServiceBench.StartAsync(settings.ApiDll, Math.Min(2, machine.Cores), log);
    await service.WarmAsync(png);
    // 128 clients exceed the default capacity (Batching:MaxQueueLength 64 waiting frames): that level must show 503s
    // with Retry-After, never another 5xx or a request left unanswered.
    foreach (var clients in new[] { 1, 4, 16, 64, 128 })
        report.Service.Add(await service.LoadAsync(png, clients, settings.ServiceDuration, settings.ServiceMaxRequests, log));
}

File.WriteAllText(settings.Output, report.ToMarkdown());
log($"wrote {settings.Output}");
