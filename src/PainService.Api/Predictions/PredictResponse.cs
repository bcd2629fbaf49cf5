namespace PainService.Api.Predictions;

/// <summary>The result of one prediction (camelCase on the wire).</summary>
/// <param name="Face">The face box used, in pixels of the upright (EXIF-applied) image.</param>
/// <param name="PainLevel">The arg-max class.</param>
/// <param name="Probabilities">softmax(logits / T) with the model's calibration temperature T (<c>model.temperature</c>,
/// 1 when the checkpoint carries none), keyed by class label in class-index order.</param>
/// <param name="Logits">Raw class logits in class-index order (not divided by the temperature).</param>
/// <param name="ActionUnits">AU scores in DISFA order (AU1 AU2 AU4 AU6 AU9 AU12 AU25 AU26).</param>
/// <param name="Adjacency">The AU graph's 8×8 0/1 neighbour matrix (row i: neighbours of AU i).</param>
/// <param name="NormalizedAdjacency">D^-1/2 A D^-1/2 of the adjacency.</param>
/// <param name="Model">The exact model that answered.</param>
/// <param name="Timings">Where the time went, in milliseconds.</param>
public sealed record PredictResponse(
    FaceDto Face,
    PainLevelDto PainLevel,
    IReadOnlyDictionary<string, double> Probabilities,
    float[] Logits,
    IReadOnlyList<ActionUnitDto> ActionUnits,
    int[][] Adjacency,
    float[][] NormalizedAdjacency,
    ModelDto Model,
    TimingsDto Timings);

public sealed record FaceDto(int X, int Y, int Width, int Height);

/// <param name="Index">Class index (0 = NoPain).</param>
/// <param name="Label">Class label of the model's scheme: NoPain/Mild/Obvious, NoPain/Weak/Mild/Strong or NoPain/Pain.</param>
public sealed record PainLevelDto(int Index, string Label);

/// <param name="Au">AU name, e.g. "AU4".</param>
/// <param name="Probability">The AU head's cosine score. It was trained as an occurrence probability in stage 1
/// (AU detection) and is not re-calibrated by pain training, so treat it as a score, not a calibrated probability.</param>
/// <param name="Occurrence">Probability ≥ 0.5.</param>
public sealed record ActionUnitDto(string Au, float Probability, bool Occurrence);

/// <param name="WeightsSha256">SHA-256 of the native checkpoint bytes of the loaded weights.</param>
/// <param name="Trained">False for the embedded untrained reference model: not for clinical use.</param>
/// <param name="Temperature">The softmax temperature the probabilities were computed with: the checkpoint's calibration
/// (worker <c>train --temperature-scaling</c>), or 1.</param>
public sealed record ModelDto(string Name, string Version, string WeightsSha256, bool Trained, double Temperature);

public sealed record TimingsDto(double DecodeMs, double DetectMs, double QueueMs, double InferenceMs);

/// <summary>The answer of <c>?faces=all</c>: one result per detected face, largest first.</summary>
public sealed record MultiFacePredictResponse(IReadOnlyList<PredictResponse> Faces);
