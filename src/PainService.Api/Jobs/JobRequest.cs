using System.Text.Json.Nodes;

namespace PainService.Api.Jobs;

/// <summary>The body of <c>POST /v1/jobs</c>.</summary>
/// <param name="Kind">relabel, sft, train or evaluate.</param>
/// <param name="Dataset">Path of a dataset in the UNBC list-file layout, as the worker sees it.</param>
/// <param name="Fold">Cross-validation fold, 1 or more (default 1).</param>
/// <param name="Options">The worker's CLI options in camelCase, e.g. {"preset":"ci","epochs":5,"init":"job:ID"}; unknown keys fail the job.</param>
public sealed record JobRequest(string Kind, string Dataset, int? Fold, JsonObject? Options);
