namespace PainService.Model.Inference;

/// <summary>What the loaded model is: reported with every prediction.</summary>
/// <param name="Name">Model family name, e.g. "GraphAU-Pain".</param>
/// <param name="Version">Registry version or "untrained-reference".</param>
/// <param name="WeightsSha256">SHA-256 (lower-case hex) of the native checkpoint bytes of the loaded weights.</param>
/// <param name="Trained">False for the deterministic formula weights of WEIGHTS.md.</param>
/// <param name="Scheme">Pain-level scheme of the classifier.</param>
/// <param name="Device">"cpu" or "cuda".</param>
/// <param name="Temperature">Softmax temperature T of the class probabilities, softmax(logits / T): the checkpoint's
/// calibration (<see cref="Calibration"/>), 1 when it carries none.</param>
public sealed record ModelDescriptor(string Name, string Version, string WeightsSha256, bool Trained, PainScheme Scheme, string Device,
    double Temperature = 1, GraphAuConfig? Architecture = null);
