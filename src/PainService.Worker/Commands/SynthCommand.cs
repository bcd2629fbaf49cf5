using System.CommandLine;
using PainService.Model;
using PainService.Worker.Synthetic;

namespace PainService.Worker.Commands;

/// <summary><c>synth --out DIR</c>: a deterministic synthetic dataset in the UNBC list layout (for CI and demos).</summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write the dataset into (created; never inside the repository).", Required = true };
        var subjects = new Option<int>("--subjects") { Description = "Number of synthetic subjects.", DefaultValueFactory = _ => 6 };
        var frames = new Option<int>("--frames") { Description = "Frames per subject.", DefaultValueFactory = _ => 60 };
        var folds = new Option<int>("--folds") { Description = "Subject-independent folds.", DefaultValueFactory = _ => 3 };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed gives byte-identical output.", DefaultValueFactory = _ => 0 };
        var command = new Command("synth", "Generate a synthetic UNBC-layout dataset (172×172 procedural faces, AU labels, PSPI, folds).");
        foreach (var option in new Option[] { output, subjects, frames, folds, seed })
            command.Options.Add(option);
        command.SetAction((parse, _) => CommandRunner.RunAsync(() =>
        {
            var options = new SynthOptions
            {
                Subjects = parse.GetValue(subjects),
                FramesPerSubject = parse.GetValue(frames),
                Folds = parse.GetValue(folds),
                Seed = parse.GetValue(seed),
            };
            var root = parse.GetValue(output)!.FullName;
            var generated = SyntheticDatasetGenerator.Generate(root, options);
            var counts = generated.GroupBy(f => PainScheme.ThreeLevel.ClassOfPspi(f.Actions.Pspi)).OrderBy(g => g.Key)
                .Select(g => $"{PainScheme.ThreeLevel.Labels()[g.Key]} {g.Count()}");
            Console.WriteLine($"synth: {generated.Count} frames of {options.Subjects} subjects, {options.Folds} folds → {root} ({string.Join(", ", counts)})");
            return 0;
        }));
        return command;
    }
}
