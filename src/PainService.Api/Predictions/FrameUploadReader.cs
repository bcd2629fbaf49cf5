using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using PainService.Api.Errors;

namespace PainService.Api.Predictions;

/// <summary>One uploaded frame of a multi-frame request: the client's id (the multipart field name) and its bytes.</summary>
public sealed record UploadedFrame(string Id, byte[] Image);

/// <summary>
/// Reads a multi-frame request: multipart/form-data whose every file part is a frame, identified by its field name.
/// Request-level faults (not multipart, no frames, too many, duplicate ids, total too large) throw
/// <see cref="ApiProblemException"/>; per-frame faults are left to each frame's own result.
/// </summary>
public static class FrameUploadReader
{
    public const int MaxIdLength = 128;

    public static async Task<IReadOnlyList<UploadedFrame>> ReadAsync(HttpRequest request, long maxTotalBytes, int maxFrames,
        CancellationToken cancellation)
    {
        if (request.ContentLength == 0)
            throw ImageUploadReader.Problem(400, ErrorCodes.EmptyBody, "Empty body", "The request carried no frames.");
        if (request.ContentLength > maxTotalBytes + ImageUploadReader.MultipartOverhead)
            throw ImageUploadReader.TooLarge(maxTotalBytes);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = maxTotalBytes + ImageUploadReader.MultipartOverhead;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            throw ImageUploadReader.Problem(415, ErrorCodes.UnsupportedMediaType, "Unsupported media type",
                "Send multipart/form-data with one file part per frame; each part's field name is the frame id.");

        var form = await ImageUploadReader.ReadFormAsync(request, cancellation);

        var files = form.Files;
        if (files.Count == 0)
            throw ImageUploadReader.Problem(400, ErrorCodes.MissingImage, "No frames", "The request holds no file parts.");
        if (files.Count > maxFrames)
            throw ImageUploadReader.Problem(400, ErrorCodes.TooManyFrames, "Too many frames",
                $"At most {maxFrames} frames per request; this one has {files.Count}.");
        if (files.Sum(f => f.Length) > maxTotalBytes)
            throw ImageUploadReader.TooLarge(maxTotalBytes);
        var duplicate = files.GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null || files.Any(f => string.IsNullOrEmpty(f.Name) || f.Name.Length > MaxIdLength))
            throw ImageUploadReader.Problem(400, ErrorCodes.DuplicateFrameId, "Bad frame ids",
                $"Every frame needs its own non-empty field name (≤ {MaxIdLength} characters) as its id.");

        var frames = new List<UploadedFrame>(files.Count);
        foreach (var file in files)
        {
            await using var stream = file.OpenReadStream();
            frames.Add(new UploadedFrame(file.Name, file.Length == 0 ? [] : await ImageUploadReader.ReadLimitedAsync(stream, maxTotalBytes, cancellation)));
        }
        return frames;
    }
}
