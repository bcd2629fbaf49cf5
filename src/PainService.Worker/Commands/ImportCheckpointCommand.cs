using System.CommandLine;
using System.Text.Json.Nodes;
using PainService.Model;
using PainService.Model.Checkpoints;
using TorchSharp;

namespace PainService.Worker.Commands;

/// <summary>
/// <c>import-checkpoint &lt;in.pth&gt; &lt;out&gt; [--allow-partial] [--model pain|stage1] [--scheme …]</c>: converts a PyTorch
/// checkpoint in the authors' format (<c>{'epoch', 'state_dict'}</c>, <c>module.</c> keys) into the native checkpoint.
/// Every missing, unexpected and mis-shaped key is named; a partial import must be asked for and lists what keeps its
/// initial values.
/// </summary>
internal static class ImportCheckpointCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("in.pth") { Description = "PyTorch checkpoint (torch.save zip): a state dict or a dict with 'state_dict'." };
        var output = new Argument<FileInfo>("out") { Description = "Native checkpoint to write (atomically)." };
        var allowPartial = new Option<bool>("--allow-partial") { Description = "Accept missing/unexpected keys; missing keys keep their initial values and are listed." };
        var model = new Option<ModelKind>("--model") { Description = "pain (GraphAU-Pain) or stage1 (the MEFARG AU model).", DefaultValueFactory = _ => ModelKind.Pain };
        var scheme = new Option<PainScheme>("--scheme") { Description = "Pain scheme of the classifier: ThreeLevel, FourLevel or Binary.", DefaultValueFactory = _ => PainScheme.ThreeLevel };
        var name = new Option<string?>("--name") { Description = "Model name in the manifest (default GraphAU-Pain / GraphAU-AU)." };
        var version = new Option<string?>("--version") { Description = "Version in the manifest (default: the input file name)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the initial values of keys a partial import leaves unloaded.", DefaultValueFactory = _ => 0 };

        var command = new Command("import-checkpoint", "Convert an authors'-format PyTorch checkpoint into the native checkpoint format.");
        command.Arguments.Add(input);
        command.Arguments.Add(output);
        foreach (var option in new Option[] { allowPartial, model, scheme, name, version, seed })
            command.Options.Add(option);
        command.SetAction((parse, _) => CommandRunner.RunAsync(() => Run(
            parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(allowPartial), parse.GetValue(model),
            parse.GetValue(scheme), parse.GetValue(name), parse.GetValue(version), parse.GetValue(seed))));
        return command;
    }

    private static int Run(FileInfo input, FileInfo output, bool allowPartial, ModelKind kind, PainScheme scheme, string? name, string? version, int seed)
    {
        if (!input.Exists)
            throw new FileNotFoundException($"Input checkpoint '{input.FullName}' does not exist.", input.FullName);
        torch.manual_seed(seed);
        var manifest = new CheckpointManifest
        {
            Model = kind,
            Architecture = kind == ModelKind.Pain ? GraphAuConfig.ForScheme(scheme) : new GraphAuConfig(),
            Scheme = scheme,
            Name = name ?? (kind == ModelKind.Pain ? "GraphAU-Pain" : "GraphAU-AU"),
            Version = version ?? Path.GetFileNameWithoutExtension(input.Name),
        };
        using var net = NativeCheckpoint.CreateModel(manifest);

        LoadReport report;
        try
        {
            report = PyTorchCheckpointImporter.Import(net, input.FullName, allowPartial);
        }
        catch (CheckpointMismatchException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            if (!allowPartial && e.Report.ShapeMismatches.Count == 0)
                Console.Error.WriteLine("Re-run with --allow-partial to keep initial values for the missing keys.");
            return CommandRunner.UsageError;
        }

        foreach (var key in report.Missing)
            Console.WriteLine($"not loaded (keeps its initial value): {key}");
        foreach (var key in report.Unexpected)
            Console.WriteLine($"ignored (not in the {kind} model): {key}");

        manifest = manifest with
        {
            Trained = report.Missing.Count == 0,
            Metadata = new JsonObject
            {
                ["provenance"] = new JsonObject
                {
                    ["importedFrom"] = input.Name,
                    ["sourceSha256"] = NativeCheckpoint.Sha256OfFile(input.FullName),
                    ["importedAtUtc"] = DateTimeOffset.UtcNow.ToString("O"),
                    ["partial"] = !report.IsComplete,
                    ["initialisationSeed"] = seed,
                    ["notLoaded"] = new JsonArray(report.Missing.Select(k => (JsonNode)JsonValue.Create(k)!).ToArray()),
                    ["ignored"] = new JsonArray(report.Unexpected.Select(k => (JsonNode)JsonValue.Create(k)!).ToArray()),
                },
            },
        };
        NativeCheckpoint.Save(output.FullName, manifest, net);
        Console.WriteLine($"import-checkpoint: {report.Loaded.Count} keys loaded, {report.Missing.Count} not loaded, " +
                          $"{report.Unexpected.Count} ignored → {output.FullName} (sha256 {NativeCheckpoint.Sha256OfFile(output.FullName)})");
        return 0;
    }
}
