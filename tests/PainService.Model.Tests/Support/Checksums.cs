using System.Text.Json;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace PainService.Model.Tests.Support;

/// <summary>Compares tensors against the goldens' checksums (sum / l2 in float64 over float32 elements, first8, per image).</summary>
internal sealed class Parity(ITestOutputHelper output, double tolerance = 1e-4)
{
    public double MaxRelative { get; private set; }

    /// <summary>The quantity with the largest relative error so far.</summary>
    public string MaxWhat { get; private set; } = "";

    private void Track(string what, double rel)
    {
        if (rel > MaxRelative)
            (MaxRelative, MaxWhat) = (rel, what);
    }

    /// <summary>Relative error with a floor: |a − e| / max(|e|, floor). The floor keeps near-zero entries meaningful.</summary>
    public void Close(string what, double expected, double actual, double floor = 1.0)
    {
        var rel = Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), floor);
        Track(what, rel);
        Assert.True(rel <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (relative error {rel:E3} > {tolerance:E1})");
    }

    /// <summary>Element-wise comparison, relative to the largest magnitude of the expected values.</summary>
    public void AllClose(string what, double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = Math.Max(expected.Max(Math.Abs), 1e-6);
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++)
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]) / scale);
        Track(what, worst);
        output.WriteLine($"{what}: max error relative to max|expected| = {worst:E3}");
        Assert.True(worst <= tolerance, $"{what}: max relative error {worst:E3} > {tolerance:E1}");
    }

    /// <summary>Checks every field of a checksum object: shape, sum, l2, abs_max, first8, per_image_sum, per_image_l2.</summary>
    public void Checksum(string what, JsonElement expected, Tensor actual)
    {
        using var t = actual.detach().cpu().to_type(ScalarType.Float64).contiguous();
        Assert.Equal(expected.GetProperty("shape").Longs(), t.shape);
        var values = t.data<double>().ToArray();
        var l2 = Math.Sqrt(values.Sum(v => v * v));
        var scale = l2 / Math.Sqrt(values.Length);      // RMS: the natural unit for a sum of many signed terms
        Close($"{what} sum", expected.GetProperty("sum").GetDouble(), values.Sum(), floor: scale * Math.Sqrt(values.Length));
        Close($"{what} l2", expected.GetProperty("l2").GetDouble(), l2);
        Close($"{what} abs_max", expected.GetProperty("abs_max").GetDouble(), values.Max(Math.Abs));
        AllClose($"{what} first8", expected.GetProperty("first8").Doubles(), values.Take(8).ToArray());
        var perImage = values.Length / (int)t.shape[0];
        var sums = expected.GetProperty("per_image_sum").Doubles();
        var l2s = expected.GetProperty("per_image_l2").Doubles();
        for (var n = 0; n < sums.Length; n++)
        {
            var img = values.Skip(n * perImage).Take(perImage).ToArray();
            var imgL2 = Math.Sqrt(img.Sum(v => v * v));
            Close($"{what} image {n} sum", sums[n], img.Sum(), floor: imgL2);
            Close($"{what} image {n} l2", l2s[n], imgL2);
        }
    }

    public static double[] Values(Tensor t)
    {
        using var d = t.detach().cpu().to_type(ScalarType.Float64).contiguous();
        return d.data<double>().ToArray();
    }
}
