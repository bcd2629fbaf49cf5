using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using PainService.Model;
using PainService.Model.Checkpoints;
using PainService.Model.Training;
using PainService.Worker.Commands;
using PainService.Worker.Evaluation;
using PainService.Worker.Tests.Commands;
using PainService.Worker.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PainService.Worker.Tests.Training;

/// <summary>
/// <c>--device auto|cpu|cuda</c>. There is no GPU here, so the "other device" is PyTorch's <c>meta</c> device: tensors
/// with shapes and no data. A training step that runs entirely on it proves that no CPU tensor is left behind in the
/// model, the batch, the labels or the loss weights — the mistake that would break a CUDA run.
/// </summary>
[Collection(nameof(ProcessWideTorchState))]
public sealed class DeviceSelectionTests : IDisposable
{
    private static readonly Device Meta = torch.device("meta");
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void BatchesAreStackedOnTheRequestedDevice()
    {
        float[][] inputs = [Enumerable.Range(0, 48).Select(i => i * 0.5f).ToArray(), Enumerable.Range(0, 48).Select(i => -i * 1f).ToArray()];
        using var scope = NewDisposeScope();

        var cpu = Batches.Stack(inputs, 4);
        var meta = Batches.Stack(inputs, 4, Meta);

        Assert.Equal(DeviceType.CPU, cpu.device_type);
        Assert.Equal([2, 3, 4, 4], cpu.shape);
        Assert.Equal(inputs[0].Concat(inputs[1]), TrainingDevice.ToArray(cpu));
        Assert.Equal(DeviceType.META, meta.device_type);
        Assert.Equal([2, 3, 4, 4], meta.shape);
        Assert.Throws<ArgumentException>(() => Batches.Stack(inputs, 5, Meta));
    }

    [Fact]
    public void ModelAndLossesLiveWhollyOnTheTrainingDevice()
    {
        using var net = new GraphAuPainNet(ModelPresets.Get("ci", PainScheme.ThreeLevel));
        net.to(Meta);
        Assert.Equal(DeviceType.META, TrainingDevice.Of(net).type);
        Assert.All(net.parameters(), p => Assert.Equal(DeviceType.META, p.device_type));
        Assert.All(net.buffers(), b => Assert.Equal(DeviceType.META, b.device_type)); // BatchNorm running statistics too
        using var scope = NewDisposeScope();

        // libtorch has no meta convolution (nor meta backward kernels), so only the forward of the two training losses can
        // run here: it shows they create no tensor of their own on the CPU.
        var logits = zeros([2, 3], device: Meta);
        var wce = PainLosses.WeightedCrossEntropy(logits, tensor(new float[] { 1, 0, 0, 0, 0, 1 }, [2, 3], device: Meta), tensor(new float[] { 0.5f, 1f, 1.5f }, device: Meta));
        var scores = full([2, 8], 0.5f, device: Meta);
        var wal = PainLosses.WeightedAsymmetricLoss(scores, full([2, 8], -1f, device: Meta), ones(8, device: Meta));

        Assert.Equal((DeviceType.META, DeviceType.META), (wce.device_type, wal.device_type));
        Assert.Equal((0, 0), (wce.dim(), wal.dim()));
    }

    [Fact]
    public void EveryWorkCommandTakesADeviceDefaultingToTheConfiguration()
    {
        var commands = WorkerCommands.All().ToDictionary(c => c.Name);
        foreach (var name in new[] { "sft", "train", "relabel", "evaluate", "run" })
            Assert.Contains(commands[name].Options, o => o.Name == "--device");

        var shared = new TrainingCommandOptions(TrainingOptions.ForPain("", ""));
        var command = new Command("train");
        shared.AddTo(command);
        // The repository's appsettings.json says Model:Device = auto (and the test process sets no Model__Device).
        Assert.Equal("auto", shared.Read(command.Parse("--dataset d --out o")).Device);
        Assert.Equal("cpu", shared.Read(command.Parse("--dataset d --out o --device cpu")).Device);
        Assert.Equal("cuda:1", shared.Read(command.Parse("--dataset d --out o --device cuda:1")).Device);
        Assert.Equal("cpu", TrainingDevice.Name(TrainingDevice.Resolve("auto"))); // no CUDA here: auto falls back
        Assert.Contains("--device must be auto, cpu or cuda", Assert.Throws<ArgumentException>(() => TrainingDevice.Resolve("tpu")).Message);
    }

    [Fact]
    public async Task CpuAutoAndTheDefaultTrainIdentically()
    {
        var data = TinyDataset.Create(_dir.Combine("data"), frames: 10);
        var runs = new[] { ("default", Array.Empty<string>()), ("cpu", ["--device", "cpu"]), ("auto", new[] { "--device", "auto" }) };
        var results = new List<(string Weights, string History, string Device)>();
        foreach (var (name, extra) in runs)
        {
            var run = _dir.Combine(name);
            Assert.Equal(0, await Cli.RunAsync([.. TinyDataset.TrainArgs(data, run, epochs: 1), .. extra]));
            using var reader = NativeCheckpoint.Open(Path.Combine(run, "last.ckpt"));
            using var weights = reader.OpenSection(NativeCheckpoint.WeightsEntry);
            var history = reader.Manifest.Metadata["history"].Deserialize<List<EpochRecord>>(EvaluationReport.Json)!;
            Assert.True(double.IsFinite(history.Single().TrainLoss));
            results.Add((Convert.ToHexString(SHA256.HashData(weights)),
                string.Join(";", history.Select(e => FormattableString.Invariant($"{e.TrainLoss:R} {e.ValidationLoss:R} {e.ValidationMacroF1:R}"))),
                reader.Manifest.Metadata["provenance"]!["device"]!.GetValue<string>()));
        }

        Assert.All(results, r => Assert.Equal("cpu", r.Device));
        Assert.Single(results.Select(r => r.Weights).Distinct());   // bit-identical trained weights
        Assert.Single(results.Select(r => r.History).Distinct());
    }

    [Fact]
    public async Task CudaWithoutCudaFailsClearlyBeforeAnyDataIsRead()
    {
        if (torch.cuda.is_available())
            return; // the check is about a machine without a GPU
        var missing = _dir.Combine("no-such-dataset");

        // Explicit option, in-process: exit 2 and no run folder.
        Assert.Equal(CommandRunner.UsageError, await Cli.RunAsync("train", "--dataset", missing, "--out", _dir.Combine("run"), "--device", "cuda"));
        Assert.False(Directory.Exists(_dir.Combine("run")));

        // From the configuration (what the compose file and the GPU overlay set), as a real process: the message names
        // the device, not the dataset that does not exist, because the device is resolved first.
        var cuda = new Dictionary<string, string> { ["Model__Device"] = "cuda" };
        foreach (var args in new[]
                 {
                     new[] { "train", "--dataset", missing, "--out", _dir.Combine("run") },
                     ["evaluate", "--checkpoint", _dir.Combine("none.ckpt"), "--dataset", missing, "--out", _dir.Combine("report")],
                     ["relabel", "--checkpoint", _dir.Combine("none.ckpt"), "--dataset", missing],
                 })
        {
            var (exit, _, error) = WorkerProcess.Run(cuda, args);
            Assert.Equal(CommandRunner.UsageError, exit);
            Assert.Contains("error: --device is 'cuda' but TorchSharp reports no CUDA device", error);
            Assert.DoesNotContain("no-such-dataset", error);
        }
    }
}
