using System.Text.Json.Nodes;
using PainService.Model;
using PainService.Model.Checkpoints;
using PainService.Worker.Datasets;
using PainService.Worker.Progress;
using PainService.Worker.Tests.Commands;
using PainService.Worker.Training;

namespace PainService.Worker.Tests.Training;

/// <summary>
/// The weight files of the UNBC layout (spec §2.7, §5.3): read and validated before training, compared with the
/// formula on the training list, reported when they differ, and used for the loss with <c>--weights files</c>.
/// </summary>
public sealed class SuppliedWeightFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private static readonly TrainingProgress Quiet = new(TextWriter.Null, false);

    public void Dispose() => _dir.Dispose();

    private string Data() => TinyDataset.Create(_dir.Combine("data"), frames: 6);

    private TrainingOptions Pain(string data) =>
        TrainingOptions.ForPain(data, _dir.Combine("run")) with { Preset = "ci", Epochs = 1, BatchSize = 8, ValidationFraction = 0.34, Threads = 1 };

    private TrainingOptions Sft(string data) =>
        TrainingOptions.ForSft(data, _dir.Combine("sft")) with { Preset = "ci", Epochs = 1, BatchSize = 8, ValidationFraction = 0.34, Threads = 1 };

    private static double[] Doubles(JsonNode? node) => node!.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    [Fact]
    public void SynthWritesWeightFilesThatAgreeWithTheFormulaOnTheTrainingList()
    {
        var data = Data();
        var layout = new UnbcLayout(data);
        var train = UnbcDatasetReader.Read(data, DatasetSplit.Train, new DatasetReadOptions { RequirePainLabels = true, RequireAuLabels = true });

        var classes = SuppliedWeights.Read(layout.ClassWeights(1), PainScheme.ThreeLevel.Labels(), "class")!;
        var aus = SuppliedWeights.Read(layout.AuWeights(1), ActionUnits.DisfaOrder, "AU")!;
        Assert.Equal(LabelWeights.ForClasses(train.PainClasses!, PainScheme.ThreeLevel.Labels()), classes, (a, b) => Math.Abs(a - b) <= 5e-7);
        Assert.Equal(LabelWeights.ForAuLabels(train.AuLabels!, ActionUnits.DisfaOrder), aus, (a, b) => Math.Abs(a - b) <= 5e-7);

        using var trainer = new PainTrainer(Pain(data), Quiet);
        var note = ProvenanceWeights(trainer);
        Assert.Equal("the file agrees with §5.3 on the training list", note["check"]!.GetValue<string>());
        Assert.Null(note["warning"]);
        // The run trains on the rows left after the validation carve-out: those weights, not the file's, by default.
        Assert.Equal(Doubles(note["fromTrainingRows"]), trainer.ClassWeights);
    }

    [Fact]
    public void ANonNumericClassWeightFileFailsBeforeTraining()
    {
        var data = Data();
        var file = new UnbcLayout(data).ClassWeights(1);
        File.WriteAllText(file, "0.1\tabc\t2.0\n");

        var error = Assert.Throws<DatasetFormatException>(() => new PainTrainer(Pain(data), Quiet));

        Assert.Equal($"{file}:1: column 2: 'abc' is not a number", error.Message);
        Assert.False(Directory.Exists(_dir.Combine("run")) && Directory.EnumerateFiles(_dir.Combine("run"), "*.ckpt").Any());
    }

    [Fact]
    public void AnAuWeightFileWithTheWrongCountFailsSftBeforeTraining()
    {
        var data = Data();
        var file = new UnbcLayout(data).AuWeights(1);
        File.WriteAllText(file, "1\t1\t1\n");

        var error = Assert.Throws<DatasetFormatException>(() => new SftTrainer(Sft(data), Quiet));

        Assert.Equal($"{file}:1: has 3 weights but there are 8 AU labels ({string.Join(", ", ActionUnits.DisfaOrder)})", error.Message);
    }

    [Fact]
    public async Task AModifiedClassWeightFileIsReportedAndTrainedWithOnlyWhenAsked()
    {
        var data = Data();
        var file = new UnbcLayout(data).ClassWeights(1);
        File.WriteAllText(file, "0.500000\t1.000000\t1.500000\n");

        using (var computed = new PainTrainer(Pain(data), Quiet))
        {
            var note = ProvenanceWeights(computed);
            Assert.Equal("the file differs from §5.3 on the training list", note["check"]!.GetValue<string>());
            Assert.StartsWith($"train: warning: {file} differs from the §5.3 weights of the training list by up to ", note["warning"]!.GetValue<string>());
            Assert.EndsWith("training with the computed weights", note["warning"]!.GetValue<string>());
            Assert.Equal([0.5, 1.0, 1.5], Doubles(note["supplied"]));
            Assert.Equal(Doubles(note["fromTrainingRows"]), computed.ClassWeights);
            Assert.NotEqual([0.5, 1.0, 1.5], computed.ClassWeights);
        }

        var run = _dir.Combine("files");
        Assert.Equal(0, await Cli.RunAsync([.. TinyDataset.TrainArgs(data, run, epochs: 1), "--weights", "files"]));

        using var reader = NativeCheckpoint.Open(Path.Combine(run, "best.ckpt"));
        var weights = reader.Manifest.Metadata["provenance"]!["lossWeights"]!;
        Assert.Equal("files", weights["source"]!.GetValue<string>());
        Assert.Equal([0.5, 1.0, 1.5], Doubles(weights["used"]));
        Assert.Equal([0.5, 1.0, 1.5], Doubles(reader.Manifest.Metadata["classWeights"])); // the WCE's weights
        Assert.EndsWith("training with the file's weights", weights["warning"]!.GetValue<string>());
    }

    [Fact]
    public void WeightsFilesWithoutAFileIsAnError()
    {
        var data = Data();
        var file = new UnbcLayout(data).AuWeights(1);
        File.Delete(file);

        var error = Assert.Throws<DatasetFormatException>(() => new SftTrainer(Sft(data) with { LossWeights = WeightSource.Files }, Quiet));

        Assert.Equal($"{file}: file not found: --weights files trains with the dataset's weight file", error.Message);
    }

    /// <summary>The provenance's lossWeights block exactly as a checkpoint of this trainer would record it.</summary>
    private static JsonObject ProvenanceWeights(PainTrainer trainer) => trainer.LossWeightsNote;
}
