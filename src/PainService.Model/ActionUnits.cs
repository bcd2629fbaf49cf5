namespace PainService.Model;

/// <summary>The 8 facial Action Units of UNBC+ / DISFA, in the column order of the label files and the AU head.</summary>
public static class ActionUnits
{
    public static readonly IReadOnlyList<string> DisfaOrder = ["AU1", "AU2", "AU4", "AU6", "AU9", "AU12", "AU25", "AU26"];

    /// <summary>AU occurrence threshold on the cosine AU score (spec Q17: ≥ 0.5 everywhere).</summary>
    public const float OccurrenceThreshold = 0.5f;
}
