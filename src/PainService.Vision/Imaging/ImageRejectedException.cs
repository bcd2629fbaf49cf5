namespace PainService.Vision.Imaging;

/// <summary>Why an input image cannot be used. The API maps each reason to a status code and a stable error code.</summary>
public enum ImageRejection
{
    Empty,            // zero bytes
    TooLarge,         // upload bytes over the limit (413)
    UnsupportedFormat,// not JPEG/PNG/WebP/BMP/GIF (415)
    Corrupt,          // recognised but undecodable or truncated (400)
    DimensionsTooLarge, // declared width×height over the pixel limit: a decompression bomb (413)
    TooSmall,         // smaller than a face could be (422)
    NoFace,           // no face found (422)
    FaceTooSmall,     // largest face under the configured minimum (422)
}

public sealed class ImageRejectedException(ImageRejection reason, string message) : Exception(message)
{
    public ImageRejection Reason { get; } = reason;
}
