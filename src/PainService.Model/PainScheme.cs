namespace PainService.Model;

/// <summary>How PSPI is binned into the classes the pain head predicts (spec §2.2).</summary>
public enum PainScheme
{
    /// <summary>3 levels: PSPI 0 / 1–4 / ≥5 — the paper's headline scheme.</summary>
    ThreeLevel,
    /// <summary>4 levels: PSPI 0 / 1 / 2 / ≥3 (the GLA-CNN comparison).</summary>
    FourLevel,
    /// <summary>2 levels: PSPI 0 / &gt;0 (exploratory).</summary>
    Binary,
}

public static class PainSchemes
{
    public static int ClassCount(this PainScheme scheme) => Labels(scheme).Count;

    /// <summary>Class labels in class-index order, as the service and reports print them.</summary>
    public static IReadOnlyList<string> Labels(this PainScheme scheme) => scheme switch
    {
        PainScheme.ThreeLevel => ["NoPain", "Mild", "Obvious"],
        PainScheme.FourLevel => ["NoPain", "Weak", "Mild", "Strong"],
        PainScheme.Binary => ["NoPain", "Pain"],
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, null),
    };

    /// <summary>The class index of a PSPI score under this scheme.</summary>
    public static int ClassOfPspi(this PainScheme scheme, double pspi) => scheme switch
    {
        PainScheme.ThreeLevel => pspi <= 0 ? 0 : pspi < 5 ? 1 : 2,
        PainScheme.FourLevel => pspi <= 0 ? 0 : pspi < 2 ? 1 : pspi < 3 ? 2 : 3,
        PainScheme.Binary => pspi <= 0 ? 0 : 1,
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, null),
    };
}
