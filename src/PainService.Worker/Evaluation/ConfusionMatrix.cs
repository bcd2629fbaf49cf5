namespace PainService.Worker.Evaluation;

/// <summary>Counts with rows = actual class and columns = predicted class (spec §7.1, §8.2).</summary>
public sealed class ConfusionMatrix
{
    private readonly long[][] _counts;

    public ConfusionMatrix(long[][] counts)
    {
        if (counts.Length < 2 || counts.Any(r => r.Length != counts.Length))
            throw new ArgumentException("a confusion matrix is square with at least 2 classes");
        if (counts.Any(r => r.Any(v => v < 0)))
            throw new ArgumentException("confusion counts cannot be negative");
        _counts = counts.Select(r => r.ToArray()).ToArray();
    }

    public int Classes => _counts.Length;

    public long this[int actual, int predicted] => _counts[actual][predicted];

    public long Total => _counts.Sum(r => r.Sum());

    public long[][] ToArray() => _counts.Select(r => r.ToArray()).ToArray();

    public static ConfusionMatrix FromLabels(IReadOnlyList<int> actual, IReadOnlyList<int> predicted, int classes)
    {
        if (actual.Count != predicted.Count)
            throw new ArgumentException($"{actual.Count} labels but {predicted.Count} predictions");
        var counts = new long[classes][];
        for (var c = 0; c < classes; c++)
            counts[c] = new long[classes];
        for (var i = 0; i < actual.Count; i++)
        {
            if ((uint)actual[i] >= classes || (uint)predicted[i] >= classes)
                throw new ArgumentOutOfRangeException(nameof(actual), $"row {i}: class outside 0..{classes - 1}");
            counts[actual[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(counts);
    }

    /// <summary>argmax with the first index winning ties, as torch.argmax / the authors' prediction files.</summary>
    public static int ArgMax(IReadOnlyList<float> scores)
    {
        var best = 0;
        for (var c = 1; c < scores.Count; c++)
            if (scores[c] > scores[best])
                best = c;
        return best;
    }
}
