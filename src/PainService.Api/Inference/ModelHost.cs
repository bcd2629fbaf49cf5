using PainService.Model.Inference;

namespace PainService.Api.Inference;

/// <summary>The model currently serving, with its descriptor.</summary>
public sealed record ActiveModel(IPainPredictor Predictor, ModelDescriptor Descriptor)
{
    /// <summary>
    /// Read once here so request threads never touch the predictor itself: after a swap the old one is disposed
    /// on the inference thread while a request that chose it may still be preparing its face.
    /// </summary>
    public int InputSize { get; } = Predictor.InputSize;
}

public enum ModelStatus
{
    /// <summary>Loading or warming up; not ready yet.</summary>
    Loading,
    /// <summary>Loaded, warmed up and allowed to serve.</summary>
    Ready,
    /// <summary>Loaded and warmed up but refused by policy (untrained model in Production).</summary>
    Refused,
    /// <summary>Load, warm-up or a forward pass failed; the reason says which.</summary>
    Failed,
}

/// <summary>
/// Holds the serving model and the readiness verdict. Swaps are a single reference write, so a batch that has
/// read <see cref="Active"/> finishes on that model whatever happens meanwhile.
/// </summary>
public sealed class ModelHost
{
    private volatile State _state = new(ModelStatus.Loading, "model is loading", null);

    public ModelStatus Status => _state.Status;

    /// <summary>
    /// Human-readable reason for the current status (shown by the public /health/ready and in 503 details): absolute
    /// file paths in it are cut to their file names (<see cref="PathRedaction"/>); the log keeps them whole.
    /// </summary>
    public string Reason => _state.Reason;

    /// <summary>The model to run, or null before the first successful load.</summary>
    public ActiveModel? Active => _state.Model;

    public bool IsReady => _state.Status == ModelStatus.Ready && _state.Model is not null;

    public void SetLoading(string reason) => _state = _state with { Status = ModelStatus.Loading, Reason = PathRedaction.Apply(reason) };

    public void SetReady(ActiveModel model, string reason) => _state = new State(ModelStatus.Ready, PathRedaction.Apply(reason), model);

    public void SetRefused(ActiveModel model, string reason) => _state = new State(ModelStatus.Refused, PathRedaction.Apply(reason), model);

    /// <summary>Marks the service not ready; the previous model (if any) stays referenced for diagnostics only.</summary>
    public void SetFailed(string reason) => _state = _state with { Status = ModelStatus.Failed, Reason = PathRedaction.Apply(reason) };

    private sealed record State(ModelStatus Status, string Reason, ActiveModel? Model);
}
