using PainService.Model;
using PainService.Worker.Datasets;

namespace PainService.Worker.Synthetic;

/// <summary>
/// Writes a synthetic dataset in the UNBC list-file layout (spec §2.7), deterministic from the seed: <c>img/</c>
/// with 172×172 PNG faces, and per fold in <c>list/</c> the image lists, UNBC+ AU labels (8 columns, DISFA order),
/// 3-level one-hot pain labels, raw PSPI, AU and class weight files; <c>list/unbc10/</c> holds the original
/// 10-AU intensity labels (the input of stage-0 relabelling). Folds hold out disjoint groups of subjects.
/// </summary>
public static class SyntheticDatasetGenerator
{
    public sealed record Frame(string Path, string Subject, FaceActions Actions);

    public static IReadOnlyList<Frame> Generate(string root, SynthOptions options)
    {
        options.Validate();
        var frames = new List<Frame>();
        for (var s = 0; s < options.Subjects; s++)
        {
            var number = 101 + s;
            var subject = $"{number:000}-sy{number:000}";
            var look = SubjectLook.Draw(new Random(Mix(options.Seed, s, -1)));
            for (var f = 0; f < options.FramesPerSubject; f++)
            {
                var rng = new Random(Mix(options.Seed, s, f));
                var actions = FrameSampler.Sample(rng, options);
                var sequence = 1 + f * options.SequencesPerSubject / options.FramesPerSubject;
                var path = $"{subject}/sy{number:000}t{sequence}/{f + 1:000}.png";
                var file = System.IO.Path.Combine(root, "img", path);
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
                File.WriteAllBytes(file, FaceRenderer.RenderPng(actions, look, rng));
                frames.Add(new Frame(path, subject, actions));
            }
        }
        var subjects = frames.Select(f => f.Subject).Distinct().ToList();
        // Provenance for models trained on it (read by the trainers into the model manifest).
        File.WriteAllText(System.IO.Path.Combine(root, "dataset.json"), System.Text.Json.JsonSerializer.Serialize(new
        {
            name = $"synthetic UNBC-layout set (painservice-worker synth, seed {options.Seed})",
            licence = "generated procedurally; depicts no real person; free to use for any purpose",
            subjects = options.Subjects,
            framesPerSubject = options.FramesPerSubject,
            folds = options.Folds,
            seed = options.Seed,
        }, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        for (var fold = 1; fold <= options.Folds; fold++)
        {
            var testSubjects = subjects.Where((_, i) => i % options.Folds == fold - 1).ToHashSet();
            WriteFold(root, fold, frames.Where(f => !testSubjects.Contains(f.Subject)).ToList(), frames.Where(f => testSubjects.Contains(f.Subject)).ToList());
        }
        return frames;
    }

    private static void WriteFold(string root, int fold, IReadOnlyList<Frame> train, IReadOnlyList<Frame> test)
    {
        var plus = new UnbcLayout(root);
        var original = new UnbcLayout(root, Path.Combine("list", "unbc10"));
        Directory.CreateDirectory(original.ListDirectory);
        foreach (var (split, frames) in new[] { (DatasetSplit.Train, train), (DatasetSplit.Test, test) })
        {
            var paths = frames.Select(f => f.Path).ToList();
            File.WriteAllLines(plus.ImageList(split, fold), paths);
            File.WriteAllLines(original.ImageList(split, fold), paths);
            File.WriteAllLines(plus.AuLabels(split, fold), frames.Select(f => string.Join(' ', f.Actions.UnbcPlusOccurrence())));
            File.WriteAllLines(original.AuLabels(split, fold), frames.Select(f => string.Join(' ', f.Actions.UnbcIntensities())));
            foreach (var layout in new[] { plus, original })
            {
                File.WriteAllLines(layout.PainLabels(split, fold), frames.Select(f => OneHot(PainScheme.ThreeLevel.ClassOfPspi(f.Actions.Pspi), 3)));
                File.WriteAllLines(layout.RawPspi(split, fold), frames.Select(f => f.Actions.Pspi.ToString()));
            }
        }
        var classes = train.Select(f => PainScheme.ThreeLevel.ClassOfPspi(f.Actions.Pspi)).ToList();
        WriteWeights(plus.ClassWeights(fold), () => LabelWeights.ForClasses(classes, PainScheme.ThreeLevel.Labels()));
        WriteWeights(plus.AuWeights(fold),
            () => LabelWeights.ForAuLabels(train.Select(f => f.Actions.UnbcPlusOccurrence().Select(v => (float)v).ToArray()).ToList(), ActionUnits.DisfaOrder));
    }

    /// <summary>
    /// A tiny set can leave a class without training rows; then no weight file is written (the weight is undefined)
    /// and the dataset reader rejects that fold for training with a message naming the class.
    /// </summary>
    private static void WriteWeights(string file, Func<double[]> weights)
    {
        try
        {
            NumericTable.WriteWeightRow(file, weights());
        }
        catch (InvalidOperationException)
        {
            File.Delete(file);
        }
    }

    private static string OneHot(int index, int classes) => string.Join(' ', Enumerable.Range(0, classes).Select(c => c == index ? 1 : 0));

    /// <summary>
    /// A per-frame seed independent of generation order. HashCode is randomised per process, so this is a fixed
    /// splitmix-style integer mix: the same seed gives the same dataset on every run.
    /// </summary>
    private static int Mix(int seed, int subject, int frame)
    {
        ulong z = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)subject * 0xBF58476D1CE4E5B9UL ^ (ulong)(uint)(frame + 7) * 0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & 0x7FFFFFFF);
    }
}
