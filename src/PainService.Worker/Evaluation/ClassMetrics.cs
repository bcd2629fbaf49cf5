namespace PainService.Worker.Evaluation;

/// <summary>One class's one-vs-rest numbers, as fractions in [0, 1].</summary>
public sealed record ClassMetrics(
    string Name,
    double Precision,
    double Recall,
    double F1,
    long Support,
    double OneVsRestAccuracy);

/// <summary>Unweighted means over the classes (the paper's "mean" rows).</summary>
public sealed record MacroMetrics(double Precision, double Recall, double F1);
