namespace PainService.Model.Inference;

/// <summary>Configuration section "Model": which weights to serve and where to run them.</summary>
public sealed class PainModelOptions
{
    public const string SectionName = "Model";

    /// <summary>Native checkpoint to serve; null or empty serves the embedded untrained reference model (WEIGHTS.md formulas).</summary>
    public string? CheckpointPath { get; set; }

    /// <summary>"auto" (CUDA when TorchSharp reports it, else CPU), "cpu" or "cuda" (also "cuda:N").</summary>
    public string Device { get; set; } = "auto";

    /// <summary>libtorch intra-op threads (torch.set_num_threads); 0 keeps libtorch's default.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Pain scheme of the embedded model. A checkpoint carries its own; if set, it must agree with it.</summary>
    public PainScheme? Scheme { get; set; }

    /// <summary>Lets the API report ready with the untrained model in Production (read by the API, not here).</summary>
    public bool AllowUntrained { get; set; }

    /// <summary>Model name reported for the embedded model (a checkpoint's manifest names itself).</summary>
    public string Name { get; set; } = "GraphAU-Pain";

    /// <summary>Serving-time speed-up: fold each BatchNorm into its convolution (same outputs within float32 rounding).</summary>
    public bool FuseConvBn { get; set; }
}
