using Microsoft.Extensions.Options;
using PainService.Api.Predictions;
using PainService.Vision;
using PainService.Vision.Detection;
using PainService.Vision.Imaging;
using PainService.Vision.Memory;
using PainService.Vision.Pipeline;

namespace PainService.Api.Vision;

public static class VisionSetup
{
    /// <summary>Decoder, pooled Haar detectors and the face pipeline, from the "Vision" section.</summary>
    public static IServiceCollection AddPainVision(this IServiceCollection services)
    {
        // Bursts of large frames otherwise leave glibc arenas holding hundreds of MB (see NativeMemoryTuning).
        NativeMemoryTuning.Apply();
        services.AddInMemoryUploads();
        services.AddOptions<VisionOptions>().BindConfiguration(VisionOptions.SectionName);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<VisionOptions>>().Value);
        services.AddSingleton<ImageDecoder>();
        services.AddSingleton<IFaceDetector, HaarDetectorPool>();
        services.AddSingleton<FacePipeline>();
        services.AddSingleton<PreparationThreads>();
        services.AddSingleton<IFacePreparer, VisionFacePreparer>();
        return services;
    }
}
