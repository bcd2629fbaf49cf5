using System.Text.Json.Nodes;
using PainService.Worker.Progress;
using PainService.Worker.Relabel;

namespace PainService.Worker.Jobs;

/// <summary>The relabel job: options <c>checkpoint</c> (MEFL .pth or native), <c>lists</c> (original 10-AU lists), <c>legacyCopyBug</c>.</summary>
internal static class RelabelJob
{
    public static JobOutcome Run(string dataset, int fold, JobOptions options, Func<string, string> resolve, string folder, string device, JobProgress progress, CancellationToken cancellationToken)
    {
        var checkpoint = resolve(options.Get<string?>("checkpoint", null) ?? throw new ArgumentException("a relabel job needs options.checkpoint (the DISFA MEFL weights)"));
        var output = $"list/unbcplus-fold{fold}";
        var relabel = new Relabeller.Options(dataset, fold, checkpoint, options.Get("lists", "list/unbc10"), output, options.Get("legacyCopyBug", false),
            options.Get("batchSize", 16), options.Get("preset", "paper"), device);
        var frames = Relabeller.Run(relabel, new TrainingProgress(TextWriter.Null, false) { OnUpdate = (_, f, _) => progress.Report(f) }, cancellationToken);
        var lists = Path.Combine(dataset, output);
        return new JobOutcome(lists, new JsonObject { ["frames"] = frames, ["lists"] = output }, $"relabelled {frames} frames into {lists}");
    }
}
