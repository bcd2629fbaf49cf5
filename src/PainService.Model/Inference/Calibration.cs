using System.Text.Json;
using System.Text.Json.Nodes;

namespace PainService.Model.Inference;

/// <summary>
/// The softmax temperature a checkpoint carries (manifest metadata <c>temperature</c>, written by the worker's
/// <c>train --temperature-scaling</c>, fitted on validation) and the calibrated class probabilities
/// softmax(logits / T). Without the key T is 1: plain softmax, unchanged behaviour. Argmax never changes.
/// </summary>
public static class Calibration
{
    public const string MetadataKey = "temperature";

    /// <summary>
    /// T of a manifest's metadata: 1 when absent; throws <see cref="InvalidDataException"/> when present but not a
    /// positive finite number (such a checkpoint is refused at load rather than served with made-up probabilities).
    /// </summary>
    public static double TemperatureOf(JsonObject? metadata)
    {
        if (metadata is null || !metadata.TryGetPropertyValue(MetadataKey, out var node) || node is null)
            return 1;
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var t)
            && double.IsFinite(t) && t > 0)
            return t;
        throw new InvalidDataException(
            $"The checkpoint's metadata.{MetadataKey} must be a positive finite number (got {node.ToJsonString()}).");
    }

    /// <summary>As <see cref="TemperatureOf"/>, but null instead of throwing for an unusable value (listings).</summary>
    public static double? TryTemperatureOf(JsonObject? metadata)
    {
        try
        {
            return TemperatureOf(metadata);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>softmax(logits / T), numerically stable, in double precision. T = 1 is the plain softmax.</summary>
    public static double[] Probabilities(float[] logits, double temperature = 1)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (!(double.IsFinite(temperature) && temperature > 0))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be a positive finite number.");
        var max = logits.Max();
        // l − max in float32 as the service always computed it, so T = 1 gives the very same probabilities as before.
        var exp = logits.Select(l => Math.Exp((l - max) / temperature)).ToArray();
        var sum = exp.Sum();
        return exp.Select(e => e / sum).ToArray();
    }
}
