using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using PainService.Api.Errors;

namespace PainService.Api.Predictions;

/// <summary>
/// Reads the image bytes of a predict request: the multipart field <c>image</c>, or a raw <c>image/*</c> /
/// <c>application/octet-stream</c> body. Enforces the upload limit while reading, so an oversized body is refused
/// without being buffered. Bytes stay in memory only.
/// </summary>
public static class ImageUploadReader
{
    public const string FieldName = "image";

    // Multipart framing (boundaries, part headers) on top of the image itself.
    internal const long MultipartOverhead = 64 * 1024;

    /// <summary>The image bytes, or throws <see cref="ApiProblemException"/> (400/413/415).</summary>
    public static async Task<byte[]> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellation)
    {
        if (request.ContentLength == 0)
            throw Problem(400, ErrorCodes.EmptyBody, "Empty body", "The request carried no image bytes.");
        if (request.ContentLength > maxBytes + MultipartOverhead)
            throw TooLarge(maxBytes);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = maxBytes + MultipartOverhead;

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type))
            throw UnsupportedType();
        if (type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return await ReadMultipartAsync(request, maxBytes, cancellation);
        if (type.Type.Equals("image", StringComparison.OrdinalIgnoreCase)
            || type.MediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase))
            return await ReadLimitedAsync(request.Body, maxBytes, cancellation);
        throw UnsupportedType();
    }

    private static async Task<byte[]> ReadMultipartAsync(HttpRequest request, long maxBytes, CancellationToken cancellation)
    {
        var form = await ReadFormAsync(request, cancellation);
        var file = form.Files.GetFile(FieldName)
            ?? throw Problem(400, ErrorCodes.MissingImage, "Missing image", $"Send the image in the multipart field '{FieldName}'.");
        if (file.Length == 0)
            throw Problem(400, ErrorCodes.EmptyBody, "Empty image", "The image part carried no bytes.");
        if (file.Length > maxBytes)
            throw TooLarge(maxBytes);
        await using var stream = file.OpenReadStream();
        return await ReadLimitedAsync(stream, maxBytes, cancellation);
    }

    /// <summary>
    /// The parsed multipart form, or 400 <c>bad_request</c> when its framing is broken: the form reader's own limits
    /// and malformed part headers (InvalidDataException), and a body that ends before the closing boundary (the
    /// multipart reader's IOException "Unexpected end of Stream" — a wrong boundary, a truncated upload with a
    /// correct Content-Length). A client that went away mid-upload (<see cref="ClientAbort"/>) and Kestrel's own
    /// request errors (BadHttpRequestException, e.g. 413 over the body limit) are rethrown for the exception handler.
    /// </summary>
    internal static async Task<IFormCollection> ReadFormAsync(HttpRequest request, CancellationToken cancellation)
    {
        try
        {
            return await request.ReadFormAsync(cancellation);
        }
        catch (InvalidDataException)
        {
            throw MalformedMultipart();
        }
        catch (IOException e) when (e is not BadHttpRequestException && !ClientAbort.Is(request.HttpContext, e))
        {
            throw MalformedMultipart();
        }
    }

    private static ApiProblemException MalformedMultipart() => Problem(400, ErrorCodes.BadRequest, "Malformed multipart body",
        "The multipart body could not be read: its framing is broken or it ends before the closing boundary.");

    internal static async Task<byte[]> ReadLimitedAsync(Stream body, long maxBytes, CancellationToken cancellation)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellation)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                throw TooLarge(maxBytes);
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
            throw Problem(400, ErrorCodes.EmptyBody, "Empty body", "The request carried no image bytes.");
        return buffer.ToArray();
    }

    internal static ApiProblemException TooLarge(long maxBytes) =>
        Problem(413, ErrorCodes.PayloadTooLarge, "Image too large", $"Images are limited to {maxBytes} bytes.");

    internal static ApiProblemException UnsupportedType() => Problem(415, ErrorCodes.UnsupportedMediaType,
        "Unsupported media type", $"Send multipart/form-data with an '{FieldName}' file, or a raw image/* or application/octet-stream body.");

    internal static ApiProblemException Problem(int status, string code, string title, string detail) =>
        new(new ApiProblem(status, code, title, detail));
}
