using TorchSharp;
using static TorchSharp.torch;

namespace PainService.Model.Training;

/// <summary>The two training losses of the reference (spec §5, §9), in float32 (Q11).</summary>
public static class PainLosses
{
    // Held for the life of the process (see HeldScalars).
    private static readonly Scalar Epsilon = 1e-8.ToScalar();
    private static readonly Scalar Zero = 0L.ToScalar();

    /// <summary>
    /// Stage 2, weighted cross-entropy (spec §5.2): <c>mean_b Σ_c −w_c·y_bc·log(max(softmax(z_b)_c, 1e-8))</c>.
    /// The normaliser is the batch size, not Σ w (Q12), so this is not <c>CrossEntropyLoss(weight)</c>.
    /// </summary>
    /// <param name="logits"><c>(B, C)</c>.</param>
    /// <param name="targets">One-hot (or soft) targets <c>(B, C)</c>.</param>
    /// <param name="classWeights"><c>(C)</c>.</param>
    public static Tensor WeightedCrossEntropy(Tensor logits, Tensor targets, Tensor classWeights)
    {
        using var scope = NewDisposeScope();
        var q = logits.softmax(-1).clamp_min(Epsilon);
        var perClass = targets.mul(q.log()).neg().mul(classWeights.unsqueeze(0));   // (B, C)
        return perClass.sum(-1).mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Stage 1, weighted asymmetric loss (spec §5.1): positives <c>y·log(max(p, ε))</c>, negatives
    /// <c>(1 − y)·log(max(1 − p, ε))·sg(p)</c>, weighted per AU and averaged. <c>sg</c> is <c>p.detach()</c> (Q10).
    /// Labels of −1 mean "unknown": those entries are left out and the mean runs over the known ones only
    /// (with no −1 labels this is the reference's <c>mean(-1).mean()</c>). Labels above 1 are capped at 1 (Q18).
    /// </summary>
    /// <param name="scores">AU scores <c>p ∈ [0, 1]</c>, <c>(B, J)</c>.</param>
    /// <param name="labels">0/1 labels, −1 for unknown, <c>(B, J)</c>.</param>
    /// <param name="auWeights"><c>(J)</c>.</param>
    public static Tensor WeightedAsymmetricLoss(Tensor scores, Tensor labels, Tensor auWeights)
    {
        using var scope = NewDisposeScope();
        var known = labels.ge(Zero).to_type(scores.dtype);           // (B, J) 1 where the label is known
        var y = labels.clamp(Zero, HeldScalars.One).to_type(scores.dtype);
        var positive = y.mul(scores.clamp_min(Epsilon).log());
        var negative = ones_like(y).sub_(y).mul(ones_like(scores).sub_(scores).clamp_min(Epsilon).log()).mul(scores.detach());
        var weighted = positive.add(negative, HeldScalars.One).mul(auWeights.unsqueeze(0)).mul(known);
        var count = known.sum().clamp_min(HeldScalars.One);
        return weighted.sum().div(count).neg().MoveToOuterDisposeScope();
    }
}
