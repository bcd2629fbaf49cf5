using PainService.Worker.Datasets;

namespace PainService.Worker.Relabel;

/// <summary>
/// Builds UNBC+ rows (DISFA order AU1, AU2, AU4, AU6, AU9, AU12, AU25, AU26) from original 10-AU UNBC rows
/// (AU4, AU6, AU7, AU9, AU10, AU12, AU20, AU25, AU26, AU43) and the DISFA model's AU1/AU2 scores (spec §2.4).
/// The six shared AUs come from the labels (occurrence = min(intensity, 1)); AU1/AU2 are the predictions with the
/// relabel writer's strict <c>score &gt; 0.5</c> (Q17). The authors' merge bug (AU1/AU2 copied from UNBC columns 0/1,
/// i.e. AU4/AU6, quirk Q2) is only reproduced when asked for.
/// </summary>
public static class UnbcPlusMerge
{
    /// <summary>UNBC column of each shared UNBC+ column 2..7.</summary>
    private static readonly int[] SharedSource = [0, 1, 3, 5, 7, 8];

    public static float[] Row(float[] original, float au1Score, float au2Score, bool legacyCopyBug)
    {
        if (original.Length != 10)
            throw new ArgumentException($"an original UNBC label row has 10 AU columns, got {original.Length}");
        var row = new float[8];
        row[0] = legacyCopyBug ? original[0] : au1Score > 0.5f ? 1 : 0;
        row[1] = legacyCopyBug ? original[1] : au2Score > 0.5f ? 1 : 0;
        for (var k = 0; k < SharedSource.Length; k++)
            row[2 + k] = original[SharedSource[k]];
        return row;
    }

    public static string Format(float[] row) => string.Join(' ', row.Select(v => v < 0 ? "-1" : v > 0 ? "1" : "0"));

    public static IReadOnlyList<string> Header => AuLabelReader.UnbcOriginalAus;
}
