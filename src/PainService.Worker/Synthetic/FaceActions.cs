namespace PainService.Worker.Synthetic;

/// <summary>
/// The AU intensities (0–5; AU43 is 0/1) one synthetic frame is drawn with. AU7, AU10 and AU20 are part of the
/// UNBC label set but are not drawn, so they stay 0 and PSPI reduces to AU4 + AU6 + AU9 + AU43.
/// </summary>
public sealed record FaceActions(int Au1, int Au2, int Au4, int Au6, int Au9, int Au12, int Au25, int Au26, int Au43)
{
    public static FaceActions Neutral { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>PSPI = AU4 + max(AU6, AU7) + max(AU9, AU10) + AU43 (Prkachin &amp; Solomon), with AU7 = AU10 = 0.</summary>
    public int Pspi => Au4 + Au6 + Au9 + Au43;

    /// <summary>UNBC+ occurrence row in DISFA order: AU1, AU2, AU4, AU6, AU9, AU12, AU25, AU26.</summary>
    public int[] UnbcPlusOccurrence() => [.. new[] { Au1, Au2, Au4, Au6, Au9, Au12, Au25, Au26 }.Select(v => Math.Min(v, 1))];

    /// <summary>Original 10-AU UNBC intensity row: AU4, AU6, AU7, AU9, AU10, AU12, AU20, AU25, AU26, AU43.</summary>
    public int[] UnbcIntensities() => [Au4, Au6, 0, Au9, 0, Au12, 0, Au25, Au26, Au43];
}
