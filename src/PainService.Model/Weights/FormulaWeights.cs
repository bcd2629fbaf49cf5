using TorchSharp;
using static TorchSharp.torch;

namespace PainService.Model.Weights;

/// <summary>
/// The deterministic weights of WEIGHTS.md §2, applied by state_dict key: the service's embedded "untrained
/// reference model" and the weights behind every golden file. Each value is computed in double and rounded once.
/// </summary>
public static class FormulaWeights
{
    /// <summary>The rule of WEIGHTS.md §2 for one key (first match wins), as text like the keys TSV's formula column.</summary>
    public static string RuleOf(string key, long[] shape) => Rule(key, shape).Name;

    /// <summary>The float32 values of a floating-point entry, row-major.</summary>
    public static float[] Values(string key, long[] shape)
    {
        var (_, f) = Rule(key, shape);
        var hash = FormulaHash.Fnv1a64(key);
        var n = shape.Aggregate(1L, (a, d) => a * d);
        var values = new float[n];
        Parallel.For(0, (int)((n + 65535) / 65536), chunk =>
        {
            var end = Math.Min(n, (chunk + 1) * 65536L);
            for (var i = chunk * 65536L; i < end; i++)
                values[i] = (float)f(FormulaHash.U(hash, i));
        });
        return values;
    }

    /// <summary>Overwrites every parameter and buffer of <paramref name="module"/> with the formula values of its key.</summary>
    public static T Apply<T>(T module) where T : nn.Module
    {
        using var _ = no_grad();
        foreach (var (key, tensor) in module.state_dict())
            Fill(key, tensor);
        return module;
    }

    /// <summary>Overwrites one tensor with the formula values of <paramref name="key"/>.</summary>
    public static void Fill(string key, Tensor target)
    {
        using var _ = no_grad();
        if (key.EndsWith("num_batches_tracked", StringComparison.Ordinal))
        {
            target.zero_();
            return;
        }
        using var source = tensor(Values(key, target.shape), target.shape, ScalarType.Float32);
        target.copy_(source);
    }

    private static (string Name, Func<double, double> F) Rule(string key, long[] shape)
    {
        if (key.EndsWith("num_batches_tracked", StringComparison.Ordinal)) return ("0", _ => 0.0);
        if (key.EndsWith("running_mean", StringComparison.Ordinal)) return ("0.1*u", u => 0.1 * u);
        if (key.EndsWith("running_var", StringComparison.Ordinal)) return ("1+0.5*|u|", u => 1.0 + 0.5 * Math.Abs(u));
        if (shape.Length >= 2)
        {
            var fanIn = shape.Skip(1).Aggregate(1L, (a, d) => a * d);
            var gain = Math.Sqrt(3.0 / fanIn);
            return ($"sqrt(3/{fanIn})*u", u => gain * u);
        }
        if (key.EndsWith("bn3.weight", StringComparison.Ordinal)) return ("0.1*u", u => 0.1 * u);
        if (key.EndsWith(".weight", StringComparison.Ordinal)) return ("1+0.1*u", u => 1.0 + 0.1 * u);
        if (key.EndsWith(".bias", StringComparison.Ordinal)) return ("0.1*u", u => 0.1 * u);
        throw new ArgumentException($"No weight rule of WEIGHTS.md matches key '{key}' with shape [{string.Join(", ", shape)}].");
    }
}
