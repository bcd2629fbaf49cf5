using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PainService.Model.Training.GcSafe;

/// <summary>
/// TorchSharp's AdamW — same options, state, state-dict format and update, term for term — except that every number
/// the step hands to libtorch is a Scalar it holds until the native call has returned. TorchSharp's own step passes
/// nine numbers per parameter as temporary Scalars, which a garbage collection may free while libtorch reads
/// them (see <see cref="Normalization.GcSafeBatchNorm"/>, where that killed a training run). It is called AdamW
/// because TorchSharp writes the optimizer's class name into its state format and refuses another name on load: the
/// optimizer state in our checkpoints stays interchangeable with TorchSharp's AdamW.
/// </summary>
public sealed class AdamW(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay,
    bool amsgrad = false, bool maximize = false)
    : TorchSharp.Modules.AdamW(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize)
{
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = group.Options;
        var (lr, beta1, beta2) = (options.LearningRate!.Value, options.beta1!.Value, options.beta2!.Value);
        using var decay = (1.0 - lr * options.weight_decay!.Value).ToScalar();
        using var beta1Scalar = beta1.ToScalar();
        using var oneMinusBeta1 = (1.0 - beta1).ToScalar();
        using var beta2Scalar = beta2.ToScalar();
        using var oneMinusBeta2 = (1.0 - beta2).ToScalar();
        using var eps = options.eps!.Value.ToScalar();
        foreach (var parameter in group.Parameters)
        {
            using var perParameter = NewDisposeScope(); // this parameter's temporaries go now, not at the end of the step
            var grad = parameter.grad;
            if (grad is null)
                continue; // no gradient, no step: not even weight decay (as TorchSharp and PyTorch)
            if (options.maximize!.Value)
                grad = grad.neg();
            var state = (State)_state[parameter.Handle];
            state.step++;
            using var rootOfBiasCorrection2 = Math.Sqrt(1.0 - Math.Pow(beta2, state.step)).ToScalar();
            using var negativeStepSize = (-(lr / (1.0 - Math.Pow(beta1, state.step)))).ToScalar();

            parameter.mul_(decay);
            state.exp_avg.mul_(beta1Scalar).add_(grad, oneMinusBeta1);
            state.exp_avg_sq.mul_(beta2Scalar).addcmul_(grad, grad, oneMinusBeta2);
            var secondMoment = state.exp_avg_sq;
            if (options.amsgrad!.Value)
            {
                var previous = state.max_exp_avg_sq;
                state.max_exp_avg_sq = maximum(previous, state.exp_avg_sq).DetachFromDisposeScope();
                previous.Dispose();
                secondMoment = state.max_exp_avg_sq;
            }
            var denominator = secondMoment.sqrt().div(rootOfBiasCorrection2).add_(eps, HeldScalars.One);
            parameter.addcdiv_(state.exp_avg, denominator, negativeStepSize);
        }
    }, closure);
}
