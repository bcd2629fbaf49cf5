using PainService.Api.Batching;
using PainService.Model;
using PainService.Model.Inference;

namespace PainService.Api.Predictions;

/// <summary>Turns a prepared face and its model output into the wire response.</summary>
public static class PredictResponseMapper
{
    public static PredictResponse ToResponse(PreparedFace face, BatchedResult result)
    {
        var prediction = result.Prediction;
        var labels = result.Model.Scheme.Labels();
        if (prediction.Logits.Length != labels.Count)
            throw new InvalidOperationException(
                $"The model returned {prediction.Logits.Length} logits for a {labels.Count}-class scheme.");
        if (prediction.AuScores.Length != ActionUnits.DisfaOrder.Count)
            throw new InvalidOperationException($"The model returned {prediction.AuScores.Length} AU scores.");

        // JSON has no NaN or infinity (System.Text.Json would throw while writing the answer): a non-finite output is
        // the model's failure on this image, reported as such before anything is written.
        RequireFinite(result, prediction.Logits, "logits");
        RequireFinite(result, prediction.AuScores, "actionUnits");
        foreach (var row in prediction.NormalizedAdjacency)
            RequireFinite(result, row, "normalizedAdjacency");

        // Calibrated: softmax(logits / T) with the model's temperature (1 without calibration); logits stay raw.
        var probabilities = Calibration.Probabilities(prediction.Logits, result.Model.Temperature);
        if (!probabilities.All(double.IsFinite))
            throw new ModelOutputInvalidException(result.Model.Version, "probabilities");
        var best = 0;
        for (var i = 1; i < probabilities.Length; i++)
            if (probabilities[i] > probabilities[best])
                best = i;

        var byLabel = new Dictionary<string, double>(labels.Count);
        for (var i = 0; i < labels.Count; i++)
            byLabel[labels[i]] = probabilities[i];

        var aus = ActionUnits.DisfaOrder
            .Select((au, i) => new ActionUnitDto(au, prediction.AuScores[i], prediction.AuScores[i] >= ActionUnits.OccurrenceThreshold))
            .ToArray();

        var m = result.Model;
        return new PredictResponse(
            new FaceDto(face.Face.X, face.Face.Y, face.Face.Width, face.Face.Height),
            new PainLevelDto(best, labels[best]),
            byLabel,
            prediction.Logits,
            aus,
            prediction.Adjacency,
            prediction.NormalizedAdjacency,
            new ModelDto(m.Name, m.Version, m.WeightsSha256, m.Trained, m.Temperature),
            new TimingsDto(Round(face.DecodeMs), Round(face.DetectMs), Round(result.QueueMs), Round(result.InferenceMs)));
    }

    private static void RequireFinite(BatchedResult result, float[] values, string output)
    {
        if (!values.All(float.IsFinite))
            throw new ModelOutputInvalidException(result.Model.Version, output);
    }

    private static double Round(double ms) => Math.Round(ms, 2);
}
