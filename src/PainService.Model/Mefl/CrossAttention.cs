using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PainService.Model.Mefl;

/// <summary>
/// ME-GraphAU's single-head cross attention (spec Appendix A): <c>softmax(q(y)·k(x)ᵀ / √(C/2))·v(x)</c>,
/// with q, k: C → C/2 and v: C → C, over the last-but-one (position) axis.
/// </summary>
internal sealed class CrossAttention : Module<Tensor, Tensor, Tensor>
{
    internal readonly Linear linear_q;
    internal readonly Linear linear_k;
    internal readonly Linear linear_v;
    private readonly Scalar _scale; // 1/√(C/2), held by the module (see HeldScalars)

    public CrossAttention(string name, long channels) : base(name)
    {
        linear_q = Linear(channels, channels / 2);
        linear_k = Linear(channels, channels / 2);
        linear_v = Linear(channels, channels);
        _scale = Math.Pow(channels / 2, -0.5).ToScalar();
        RegisterComponents();
        using var _ = no_grad();
        init.normal_(linear_k.weight, 0, Math.Sqrt(2.0 / (channels / 2)));
        init.normal_(linear_q.weight, 0, Math.Sqrt(2.0 / (channels / 2)));
        init.normal_(linear_v.weight, 0, Math.Sqrt(2.0 / channels));
    }

    /// <param name="y">Queries <c>(…, P, C)</c>.</param>
    /// <param name="x">Keys and values <c>(…, P, C)</c>.</param>
    public override Tensor forward(Tensor y, Tensor x)
    {
        using var scope = NewDisposeScope();
        var query = linear_q.call(y);                                    // (…, P, C/2)
        var key = linear_k.call(x);
        var value = linear_v.call(x);                                    // (…, P, C)
        var dots = matmul(query, key.transpose(-2, -1)).mul_(_scale);    // (…, P, P)
        return matmul(dots.softmax(-1), value).MoveToOuterDisposeScope();
    }
}
