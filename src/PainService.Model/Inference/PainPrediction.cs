namespace PainService.Model.Inference;

/// <summary>
/// One image's model outputs, copied to managed memory (no tensor ever leaves PainService.Model).
/// Matrices are row-major jagged arrays: Adjacency[i][j] is 1 when AU j is a neighbour of AU i.
/// </summary>
public sealed record PainPrediction(
    float[] Logits,
    float[] AuScores,
    int[][] Adjacency,
    float[][] NormalizedAdjacency,
    float[] GraphRepresentation);
