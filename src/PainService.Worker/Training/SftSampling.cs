using PainService.Worker.Datasets;

namespace PainService.Worker.Training;

/// <summary>
/// Stage-1 undersampling (spec §2.6). The authors' exact subset cannot be re-created, so either a supplied frame list
/// (e.g. their published SFT list) picks the rows, or configurable rules do: drop frames with no active AU, then drop
/// a random fraction of the over-represented low-PSPI frames. Row order is kept.
/// </summary>
public sealed record SftSampling
{
    public bool ExcludeNoActiveAu { get; init; } = true;

    /// <summary>Fraction (0–1) of the frames with PSPI ≤ <see cref="OverRepresentedMaxPspi"/> to drop at random.</summary>
    public double DropFraction { get; init; }

    public double OverRepresentedMaxPspi { get; init; }

    /// <summary>A file of image paths (one per line, as in the image list) to train on instead of the rules.</summary>
    public string? FrameList { get; init; }

    /// <summary>The rule in words, as the run's log and provenance state it.</summary>
    public string Describe(int seed) => FrameList is not null
        ? $"the frames of the list {FrameList}"
        : FormattableString.Invariant(
            $"{(ExcludeNoActiveAu ? "frames with no active AU excluded" : "frames with no active AU kept")}; {(DropFraction > 0 ? $"a random {DropFraction} of the frames with PSPI ≤ {OverRepresentedMaxPspi} dropped (seed {seed})" : "no random drop")}");

    public IReadOnlyList<int> SelectRows(UnbcSplit split, int seed)
    {
        if (split.AuLabels is null)
            throw new InvalidOperationException("SFT needs AU labels");
        if (FrameList is not null)
            return FromList(split, FrameList);
        if (DropFraction is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(DropFraction), DropFraction, "drop fraction must be in [0, 1]");
        if (DropFraction > 0 && split.Pspi is null)
            throw new InvalidOperationException("dropping over-represented frames needs raw PSPI (UNBC_*_pspi_raw_fold*.txt); use --drop-fraction 0 or a frame list");
        var rng = new Random(seed);
        var rows = new List<int>();
        for (var i = 0; i < split.Count; i++)
        {
            if (ExcludeNoActiveAu && !split.AuLabels[i].Any(v => v > 0))
                continue;
            // One draw per candidate row keeps the selection stable when other rules change.
            var draw = rng.NextDouble();
            if (DropFraction > 0 && split.Pspi![i] <= OverRepresentedMaxPspi && draw < DropFraction)
                continue;
            rows.Add(i);
        }
        if (rows.Count == 0)
            throw new InvalidOperationException("the undersampling rules removed every frame");
        return rows;
    }

    private static IReadOnlyList<int> FromList(UnbcSplit split, string file)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < split.Count; i++)
            index.TryAdd(split.ImagePaths[i], i);
        var wanted = NumericTable.ReadLines(file);
        var rows = new List<int>();
        for (var line = 0; line < wanted.Count; line++)
            rows.Add(index.TryGetValue(wanted[line], out var row)
                ? row
                : throw new DatasetFormatException(file, line + 1, $"'{wanted[line]}' is not in the training list"));
        return rows;
    }
}
