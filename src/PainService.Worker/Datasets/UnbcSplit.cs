using PainService.Model;

namespace PainService.Worker.Datasets;

/// <summary>
/// One validated list of a fold, aligned line by line (the order of the list files is kept, spec §2.5).
/// AU labels are occurrences in {0, 1}, or -1 where unknown (masked in the loss); intensities were capped at load.
/// </summary>
public sealed record UnbcSplit(
    UnbcLayout Layout,
    DatasetSplit Split,
    int Fold,
    PainScheme Scheme,
    IReadOnlyList<string> ImagePaths,
    IReadOnlyList<float[]>? AuLabels,
    IReadOnlyList<int>? PainClasses,
    IReadOnlyList<double>? Pspi)
{
    public int Count => ImagePaths.Count;

    public string ImageFile(int index) => Path.Combine(Layout.ImageDirectory, ImagePaths[index]);

    /// <summary>The subject is the first path segment (<c>064-ak064/…</c>); splits are subject-independent.</summary>
    public string SubjectOf(int index) => SubjectOfPath(ImagePaths[index]);

    public IReadOnlyList<string> Subjects => ImagePaths.Select(SubjectOfPath).Distinct().ToList();

    public static string SubjectOfPath(string path)
    {
        var slash = path.IndexOfAny(['/', '\\']);
        return slash < 0 ? path : path[..slash];
    }

    /// <summary>A subset of rows, keeping their order (validation carve-outs, undersampling).</summary>
    public UnbcSplit Select(IReadOnlyList<int> rows) => this with
    {
        ImagePaths = rows.Select(i => ImagePaths[i]).ToList(),
        AuLabels = AuLabels is null ? null : rows.Select(i => AuLabels[i]).ToList(),
        PainClasses = PainClasses is null ? null : rows.Select(i => PainClasses[i]).ToList(),
        Pspi = Pspi is null ? null : rows.Select(i => Pspi[i]).ToList(),
    };
}
