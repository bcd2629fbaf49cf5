using System.Text.Json.Nodes;
using PainService.Jobs;
using PainService.Model.Checkpoints;
using PainService.Worker.Datasets;
using PainService.Worker.Jobs;
using PainService.Worker.Tests.Commands;
using PainService.Worker.Training;

using PainService.Worker.Tests.Jobs;

namespace PainService.Worker.Tests.Training;

/// <summary>
/// The sft command's undersampling options end to end (tiny synthetic set, ci preset, 1 epoch): the frames trained
/// are exactly those the option selects, as recorded in the run's sft-frames.txt and the checkpoint's provenance.
/// </summary>
public sealed class SftSamplingWiringTests : IDisposable
{
    private const int Seed = 0;
    private const double ValidationFraction = 0.34;
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private static string[] SftArgs(string data, string run) =>
        ["sft", "--dataset", data, "--out", run, "--preset", "ci", "--epochs", "1", "--batch-size", "8", "--lr", "1e-3",
         "--validation-fraction", "0.34", "--threads", "1"];

    /// <summary>The training rows left after the validation carve-out, which the sampling rules choose from.</summary>
    private static UnbcSplit TrainingPortion(string data) =>
        ValidationSplit.Carve(UnbcDatasetReader.Read(data, DatasetSplit.Train, new DatasetReadOptions { RequireAuLabels = true }), ValidationFraction, Seed).Train;

    private static bool ActiveAu(float[] labels) => labels.Any(v => v > 0);

    /// <summary>What the run recorded: the frames file and the provenance's sampling block of best.ckpt.</summary>
    private static (string[] Frames, JsonNode Sampling, int TrainFrames) Recorded(string run)
    {
        using var reader = NativeCheckpoint.Open(Path.Combine(run, "best.ckpt"));
        var provenance = reader.Manifest.Metadata["provenance"]!;
        return (File.ReadAllLines(Path.Combine(run, SftTrainer.FramesFile)), provenance["sampling"]!.DeepClone(), provenance["trainFrames"]!.GetValue<int>());
    }

    [Fact]
    public async Task AFrameListTrainsExactlyTheListedFrames()
    {
        var data = TinyDataset.Create(_dir.Combine("data"));
        var portion = TrainingPortion(data);
        // Every other frame with an active AU, keeping at least one positive row per AU column (else its weight is undefined).
        var rows = Enumerable.Range(0, portion.Count).Where(i => ActiveAu(portion.AuLabels![i])).ToList();
        var chosen = new List<int>(rows);
        for (var k = 1; k < rows.Count; k += 2)
        {
            var without = chosen.Where(r => r != rows[k]).ToList();
            if (Enumerable.Range(0, 8).All(j => without.Any(r => portion.AuLabels![r][j] > 0)))
                chosen = without;
        }
        var wanted = chosen.Select(r => portion.ImagePaths[r]).ToArray();
        Assert.InRange(wanted.Length, 2, rows.Count - 2);
        var list = _dir.Combine("frames.txt");
        File.WriteAllLines(list, wanted);
        var run = _dir.Combine("sft");

        Assert.Equal(0, await Cli.RunAsync([.. SftArgs(data, run), "--frame-list", list]));

        var (frames, sampling, trainFrames) = Recorded(run);
        Assert.Equal(wanted, frames);
        Assert.Equal(wanted.Length, trainFrames);
        Assert.Equal(wanted.Length, sampling["kept"]!.GetValue<int>());
        Assert.Equal(portion.Count, sampling["candidates"]!.GetValue<int>());
        Assert.Equal($"the frames of the list {list}", sampling["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task ADropFractionDropsThatShareOfTheLowPspiFramesWithActiveAus()
    {
        var data = TinyDataset.Create(_dir.Combine("data"), frames: 24);
        var portion = TrainingPortion(data);
        var run = _dir.Combine("sft");

        Assert.Equal(0, await Cli.RunAsync([.. SftArgs(data, run), "--drop-fraction", "0.5", "--drop-max-pspi", "0"]));

        // The rule of spec §2.6 as SftSampling documents it: frames without an active AU go first (no draw); every other
        // frame draws once from Random(seed) and a PSPI-0 frame is dropped when its draw is below 0.5.
        var rng = new Random(Seed);
        var expected = new List<string>();
        for (var i = 0; i < portion.Count; i++)
        {
            if (!ActiveAu(portion.AuLabels![i]))
                continue;
            if (rng.NextDouble() < 0.5 && portion.Pspi![i] <= 0)
                continue;
            expected.Add(portion.ImagePaths[i]);
        }
        var (frames, sampling, trainFrames) = Recorded(run);
        Assert.Equal(expected, frames);
        Assert.Equal(expected.Count, trainFrames);
        Assert.Equal("frames with no active AU excluded; a random 0.5 of the frames with PSPI ≤ 0 dropped (seed 0)", sampling["rule"]!.GetValue<string>());
        // The drop really hit PSPI-0 frames and nothing else.
        var activeLowPspi = Enumerable.Range(0, portion.Count).Count(i => ActiveAu(portion.AuLabels![i]) && portion.Pspi![i] <= 0);
        var keptLowPspi = frames.Count(f => portion.Pspi![portion.ImagePaths.ToList().IndexOf(f)] <= 0);
        Assert.InRange(keptLowPspi, 1, activeLowPspi - 1);
        Assert.Equal(Enumerable.Range(0, portion.Count).Count(i => ActiveAu(portion.AuLabels![i]) && portion.Pspi![i] > 0), frames.Length - keptLowPspi);
    }

    [Fact]
    public async Task KeepNoAuTrainsEveryFrameOfTheTrainingPortion()
    {
        var data = TinyDataset.Create(_dir.Combine("data"));
        var portion = TrainingPortion(data);
        Assert.Contains(portion.AuLabels!, l => !ActiveAu(l)); // the option makes a difference on this set
        var run = _dir.Combine("sft");

        Assert.Equal(0, await Cli.RunAsync([.. SftArgs(data, run), "--keep-no-au"]));

        var (frames, sampling, _) = Recorded(run);
        Assert.Equal(portion.ImagePaths, frames);
        Assert.Equal("frames with no active AU kept; no random drop", sampling["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnSftJobTrainsTheFramesOfItsFrameList()
    {
        var data = TinyDataset.Create(_dir.Combine("data"));
        var portion = TrainingPortion(data);
        var wanted = Enumerable.Range(0, portion.Count).Where(i => ActiveAu(portion.AuLabels![i])).Select(i => portion.ImagePaths[i]).ToArray();
        var list = _dir.Combine("frames.txt");
        File.WriteAllLines(list, wanted);
        var options = TestJobStore.Options(_dir, staleAfter: TimeSpan.FromSeconds(30));
        var store = await TestJobStore.CreateAsync(options);
        var jobOptions = new JsonObject
        {
            ["preset"] = "ci", ["epochs"] = 1, ["batchSize"] = 8, ["lr"] = 1e-3, ["validationFraction"] = ValidationFraction, ["threads"] = 1, ["frameList"] = list,
        };
        var job = await store.SubmitAsync(new JobSubmission(JobKind.Sft, data, 1, jobOptions.ToJsonString()));

        await new JobWorker(store, options, "w1", TextWriter.Null).RunAsync(exitWhenIdle: true, null, CancellationToken.None);

        var done = await store.GetAsync(job.Id);
        Assert.Equal(JobStatus.Succeeded, done!.Status);
        var run = Path.GetDirectoryName(done.ResultPath!)!;
        var (frames, sampling, _) = Recorded(run);
        Assert.Equal(wanted, frames);
        Assert.Equal($"the frames of the list {list}", sampling["rule"]!.GetValue<string>());
    }
}
