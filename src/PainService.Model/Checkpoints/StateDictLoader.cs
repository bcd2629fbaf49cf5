using TorchSharp;
using static TorchSharp.torch;

namespace PainService.Model.Checkpoints;

/// <summary>A key whose tensor has a different shape in the checkpoint than in the model.</summary>
public sealed record ShapeMismatch(string Key, long[] Expected, long[] Actual)
{
    public override string ToString() => $"{Key}: model [{string.Join(", ", Expected)}], checkpoint [{string.Join(", ", Actual)}]";
}

/// <summary>
/// The outcome of matching a checkpoint's state dict against a model, key by key.
/// <see cref="Missing"/> keys are left at the model's initial values when a partial load is allowed.
/// </summary>
public sealed record LoadReport(
    IReadOnlyList<string> Loaded, IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected, IReadOnlyList<ShapeMismatch> ShapeMismatches)
{
    public bool IsComplete => Missing.Count == 0 && Unexpected.Count == 0 && ShapeMismatches.Count == 0;

    /// <summary>Every problem by name, one per line.</summary>
    public string Describe()
    {
        var lines = new List<string> { $"{Loaded.Count} keys loaded, {Missing.Count} missing, {Unexpected.Count} unexpected, {ShapeMismatches.Count} shape mismatches." };
        lines.AddRange(Missing.Select(k => $"missing: {k}"));
        lines.AddRange(Unexpected.Select(k => $"unexpected: {k}"));
        lines.AddRange(ShapeMismatches.Select(m => $"shape mismatch: {m}"));
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>Thrown when a checkpoint does not fit the model; the message names every problem.</summary>
public sealed class CheckpointMismatchException(string message, LoadReport report) : Exception(message + Environment.NewLine + report.Describe())
{
    public LoadReport Report { get; } = report;
}

/// <summary>Copies a state dict into a model after checking every key and shape (strict unless a partial load is asked for).</summary>
public static class StateDictLoader
{
    public static LoadReport Compare(nn.Module model, IReadOnlyDictionary<string, Tensor> source)
    {
        var target = model.state_dict();
        var loaded = new List<string>();
        var missing = new List<string>();
        var mismatches = new List<ShapeMismatch>();
        foreach (var (key, tensor) in target)
        {
            if (!source.TryGetValue(key, out var value))
                missing.Add(key);
            else if (!tensor.shape.SequenceEqual(value.shape))
                mismatches.Add(new ShapeMismatch(key, tensor.shape, value.shape));
            else
                loaded.Add(key);
        }
        var unexpected = source.Keys.Where(k => !target.ContainsKey(k)).ToList();
        return new LoadReport(loaded, missing, unexpected, mismatches);
    }

    /// <summary>
    /// Loads <paramref name="source"/> into <paramref name="model"/>. Shape mismatches always fail. Missing or unexpected
    /// keys fail unless <paramref name="allowPartial"/>; then unexpected keys are ignored and missing keys keep their
    /// initial values, as listed in the returned report.
    /// </summary>
    public static LoadReport Load(nn.Module model, IReadOnlyDictionary<string, Tensor> source, bool allowPartial = false)
    {
        var report = Compare(model, source);
        if (report.ShapeMismatches.Count > 0)
            throw new CheckpointMismatchException("The checkpoint's tensor shapes do not fit the model.", report);
        if (!allowPartial && !report.IsComplete)
            throw new CheckpointMismatchException("The checkpoint does not match the model (a partial load was not allowed).", report);

        using var _ = no_grad();
        var target = model.state_dict();
        foreach (var key in report.Loaded)
            target[key].copy_(source[key]);
        return report;
    }
}
