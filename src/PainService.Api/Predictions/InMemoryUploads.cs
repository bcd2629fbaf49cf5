using Microsoft.AspNetCore.Http.Features;

namespace PainService.Api.Predictions;

/// <summary>
/// Frames are patient data and must never touch the disk. ASP.NET Core's form reader spills any multipart file
/// section above <see cref="FormOptions.MemoryBufferThreshold"/> (64 KB by default) to a temporary file; with the
/// threshold above the multipart length limit no section can ever spill. Request size stays bounded by Kestrel's
/// MaxRequestBodySize and the Vision:MaxUploadBytes check.
/// </summary>
public static class InMemoryUploads
{
    public static IServiceCollection AddInMemoryUploads(this IServiceCollection services) =>
        services.Configure<FormOptions>(options =>
        {
            options.MultipartBodyLengthLimit = Math.Min(options.MultipartBodyLengthLimit, int.MaxValue - 1);
            options.MemoryBufferThreshold = (int)options.MultipartBodyLengthLimit + 1;
            options.BufferBody = false;
        });
}
