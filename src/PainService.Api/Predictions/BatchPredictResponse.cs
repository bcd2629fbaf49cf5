using System.Text.Json.Serialization;

namespace PainService.Api.Predictions;

/// <summary>Per-frame outcomes of a multi-frame request, in the order the frames were sent.</summary>
public sealed record BatchPredictResponse(IReadOnlyList<FrameResult> Frames);

/// <summary>One frame's outcome: <c>result</c> when <c>status</c> is 200, otherwise <c>problem</c>.</summary>
/// <param name="Id">The client's id for the frame (its multipart field name).</param>
/// <param name="Status">The HTTP status this frame would have had alone.</param>
public sealed record FrameResult(
    string Id,
    int Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PredictResponse? Result,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FrameProblem? Problem);

/// <summary>The problem+json members of a failed frame, with the same stable <c>code</c> values as single requests.</summary>
public sealed record FrameProblem(string Title, int Status, string Detail, string Code);
