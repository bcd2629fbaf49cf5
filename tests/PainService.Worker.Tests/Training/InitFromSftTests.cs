using PainService.Model;
using PainService.Model.Checkpoints;
using PainService.Testing;
using PainService.Worker.Tests.Commands;
using PainService.Worker.Training;

namespace PainService.Worker.Tests.Training;

/// <summary>
/// Stage 2 starts from the SFT (stage-1 AU) checkpoint and must say what it could not load (issue 4). The stage-1
/// model's keys are a subset of the pain model's (state_dict_keys_stage1.tsv: every key "in_pain_model = yes"), so
/// the report is the pain head alone — the keys state_dict_keys.tsv marks "in_stage1 = no" — and nothing ignored.
/// </summary>
[Collection(nameof(ProcessWideTorchState))]
public sealed class InitFromSftTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Keys of a golden key listing whose 6th column (in_stage1 / in_pain_model) reads <paramref name="flag"/>.</summary>
    private static List<string> GoldenKeys(string file, string flag) =>
        File.ReadLines(RepoPaths.Golden(file)).Skip(1).Select(l => l.Split('\t')).Where(c => c.Length > 5 && c[5] == flag).Select(c => c[1]).ToList();

    [Fact]
    public async Task TrainFromAnSftCheckpointPrintsAndRecordsThePainHeadAsNotLoaded()
    {
        var data = TinyDataset.Create(_dir.Combine("data"), frames: 6);
        string sft = _dir.Combine("sft.ckpt"), run = _dir.Combine("train");
        using (var au = new GraphAuNet(ModelPresets.Get("ci", PainScheme.ThreeLevel)))
            NativeCheckpoint.Save(sft, new CheckpointManifest { Model = ModelKind.Stage1, Architecture = au.Config }, au);
        var painHead = GoldenKeys("state_dict_keys.tsv", "no");
        var stage1Keys = File.ReadLines(RepoPaths.Golden("state_dict_keys_stage1.tsv")).Skip(1).Count(l => l.Length > 0);
        Assert.Equal(["fc_au.weight", "fc_au.bias", "fc_bb.weight", "fc_bb.bias", "fc_pe.weight", "fc_pe.bias", "fc.weight", "fc.bias"], painHead);
        Assert.Empty(GoldenKeys("state_dict_keys_stage1.tsv", "no"));

        var console = new StringWriter();
        var original = Console.Out;
        Console.SetOut(console);
        int exit;
        try
        {
            exit = await Cli.RunAsync([.. TinyDataset.TrainArgs(data, run, epochs: 1), "--init", sft]);
        }
        finally
        {
            Console.SetOut(original);
        }

        Assert.Equal(0, exit);
        var text = console.ToString().Split(Environment.NewLine);
        var header = Array.FindIndex(text, l => l.StartsWith($"train: initialised from {sft}: ", StringComparison.Ordinal));
        Assert.True(header >= 0, "no initialisation report in:\n" + console);
        Assert.Equal($"train: initialised from {sft}: {stage1Keys} keys loaded, {painHead.Count} missing, 0 unexpected, 0 shape mismatches.", text[header]);
        Assert.Equal(painHead.Select(k => $"missing: {k}"), text.Skip(header + 1).Take(painHead.Count));
        Assert.DoesNotContain(text.Skip(header + 1 + painHead.Count).Take(1), l => l.StartsWith("unexpected: ", StringComparison.Ordinal));

        using var reader = NativeCheckpoint.Open(Path.Combine(run, "best.ckpt"));
        var init = reader.Manifest.Metadata["provenance"]!["init"]!;
        Assert.Equal(sft, init["checkpoint"]!.GetValue<string>());
        Assert.Equal(stage1Keys, init["loadedKeys"]!.GetValue<int>());
        Assert.Equal(painHead, init["notLoaded"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.Empty(init["ignored"]!.AsArray());
    }
}
