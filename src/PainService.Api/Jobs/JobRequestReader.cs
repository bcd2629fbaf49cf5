using System.Text.Json;
using System.Text.Json.Nodes;
using PainService.Api.Errors;
using PainService.Jobs;

namespace PainService.Api.Jobs;

/// <summary>
/// Reads and checks a <see cref="JobRequest"/> body by hand rather than through model binding, so each mistake gets
/// its own stable code instead of one generic 400, and a misspelt field is refused instead of silently ignored.
/// Whether the dataset exists is the worker's call: it may run on another machine with other mounts.
/// </summary>
public static class JobRequestReader
{
    private const int MaxBodyBytes = 64 * 1024;
    private const int MaxDatasetLength = 4096;
    private static readonly string[] Fields = ["kind", "dataset", "fold", "options"];

    public static string KnownKinds => string.Join(", ", Enum.GetValues<JobKind>().Select(k => k.Wire()));

    public static async Task<JobSubmission> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
            throw Problem(413, ErrorCodes.PayloadTooLarge, "Payload too large", $"A job request is at most {MaxBodyBytes} bytes.");
        // A chunked body has no length to check up front: Kestrel stops it at the limit instead (413 via the exception handler).
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxBodyBytes;
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            throw Invalid(JobErrorCodes.InvalidJobRequest, "The body is not valid JSON: send {\"kind\", \"dataset\", \"fold\", \"options\"}.");
        }
        return Validate(body);
    }

    public static JobSubmission Validate(JsonNode? body)
    {
        if (body is not JsonObject fields)
            throw Invalid(JobErrorCodes.InvalidJobRequest, "The body must be a JSON object {\"kind\", \"dataset\", \"fold\", \"options\"}.");
        var unknown = fields.Select(f => f.Key).Where(k => !Fields.Contains(k, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
            throw Invalid(JobErrorCodes.InvalidJobRequest, $"Unknown field(s) {string.Join(", ", unknown)}; expected {string.Join(", ", Fields)}.");

        var kindText = Text(fields["kind"]);
        var kind = Enum.GetValues<JobKind>().Where(k => string.Equals(k.Wire(), kindText, StringComparison.OrdinalIgnoreCase)).Cast<JobKind?>().FirstOrDefault()
            ?? throw Invalid(JobErrorCodes.InvalidJobKind, $"kind must be one of {KnownKinds}.");

        var dataset = Text(fields["dataset"]);
        if (string.IsNullOrWhiteSpace(dataset))
            throw Invalid(JobErrorCodes.MissingDataset, "dataset (the path of a dataset in the UNBC list-file layout) is required.");
        if (dataset.Length > MaxDatasetLength || dataset.Any(char.IsControl))
            throw Invalid(JobErrorCodes.MissingDataset, $"dataset must be a path of at most {MaxDatasetLength} characters without control characters.");

        var fold = 1;
        if (fields["fold"] is { } foldNode && !(foldNode is JsonValue v && v.TryGetValue(out fold) && fold >= 1))
            throw Invalid(JobErrorCodes.InvalidFold, "fold must be an integer of 1 or more.");

        var options = fields["options"];
        if (options is not null and not JsonObject)
            throw Invalid(JobErrorCodes.InvalidJobOptions, "options must be a JSON object of worker options (e.g. {\"preset\":\"ci\",\"epochs\":5}).");

        return new JobSubmission(kind, dataset.Trim(), fold, options?.ToJsonString() ?? "{}");
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static ApiProblemException Invalid(string code, string detail) => Problem(400, code, "Invalid job request", detail);

    private static ApiProblemException Problem(int status, string code, string title, string detail) =>
        new(new ApiProblem(status, code, title, detail));
}
