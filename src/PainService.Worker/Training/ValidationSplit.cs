using PainService.Worker.Datasets;

namespace PainService.Worker.Training;

/// <summary>
/// Carves a subject-independent validation split out of the training subjects, so checkpoints are selected and
/// temperature is fitted without ever looking at the test fold (spec Q7). Deterministic from the seed.
/// </summary>
public static class ValidationSplit
{
    public static (UnbcSplit Train, UnbcSplit Validation, IReadOnlyList<string> ValidationSubjects) Carve(UnbcSplit train, double fraction, int seed)
    {
        var subjects = train.Subjects.OrderBy(s => s, StringComparer.Ordinal).ToArray();
        if (subjects.Length < 2)
            throw new InvalidOperationException(
                $"the training list has {subjects.Length} subject(s): a subject-independent validation split needs at least 2");
        if (fraction is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "validation fraction must be in (0, 1)");
        new Random(seed).Shuffle(subjects);
        var count = Math.Clamp((int)Math.Round(fraction * subjects.Length), 1, subjects.Length - 1);
        var held = subjects.Take(count).ToHashSet();
        var trainRows = Enumerable.Range(0, train.Count).Where(i => !held.Contains(train.SubjectOf(i))).ToList();
        var validationRows = Enumerable.Range(0, train.Count).Where(i => held.Contains(train.SubjectOf(i))).ToList();
        return (train.Select(trainRows), train.Select(validationRows), held.OrderBy(s => s, StringComparer.Ordinal).ToList());
    }
}
