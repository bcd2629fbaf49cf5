namespace PainService.Vision;

/// <summary>Decode limits and face-detection settings. Bound from the "Vision" section of appsettings.json.</summary>
public sealed class VisionOptions
{
    public const string SectionName = "Vision";

    /// <summary>Uploads above this many bytes are refused before any parsing (413).</summary>
    public long MaxUploadBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>Declared width × height above this is a decompression bomb and is refused before decoding (413).</summary>
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>
    /// Images whose shorter side is under this cannot hold a face: the cascade's smallest window is 24×24.
    /// </summary>
    public int MinImageSide { get; set; } = 24;

    /// <summary>
    /// Pixels decoded at once across all requests (a decode holds ~6 bytes per pixel: ImageSharp's frame and the
    /// RGB copy). Further decodes wait. The default fits one photo at the MaxPixels limit plus small frames.
    /// </summary>
    public double DecodeBudgetMegapixels { get; set; } = 48;

    /// <summary>ImageSharp's pooled memory in MB; beyond it buffers are allocated and freed per image.</summary>
    public int DecoderPoolMegabytes { get; set; } = 64;

    /// <summary>
    /// Largest single buffer ImageSharp may allocate, in MB. With MaxPixels = 40 MP an RGB frame needs 120 MB
    /// (Rgba64 intermediate of 16-bit PNGs 320 MB), so the default leaves room for those and nothing larger.
    /// </summary>
    public int DecoderAllocationLimitMegabytes { get; set; } = 512;

    /// <summary>Haar pyramid step. OpenCV's default; the golden box assumes it.</summary>
    public double ScaleFactor { get; set; } = 1.1;

    /// <summary>Neighbouring detections needed to keep a box. OpenCV's default is 3.</summary>
    public int MinNeighbors { get; set; } = 3;

    /// <summary>
    /// Smallest face side in pixels of the upright image. A face under it is rejected as FaceTooSmall; 0 disables
    /// the check (the default, so the golden box stands whatever the photo size).
    /// </summary>
    public int MinFaceSize { get; set; }

    /// <summary>
    /// Frames whose longer side exceeds this are searched on a copy scaled down to it (area interpolation) and the
    /// boxes scaled back: the cascade's pyramid of integral images costs ~57 bytes per frame pixel (measured: +240 MB
    /// for 2048×2048) and its time grows with the area, so a 40 MP photo searched at full size would take many
    /// seconds and gigabytes. The default leaves webcam frames and the golden 512×512 photo untouched (the
    /// smallest face found in a 1920 px frame is then 45 px); 0 disables the cap.
    /// </summary>
    public int MaxDetectionSide { get; set; } = 1024;

    /// <summary>
    /// Speed: faces smaller than this fraction of the frame's shorter side are not searched for (they come out as
    /// NoFace, not FaceTooSmall). The small windows are most of the cascade's work; 0.12 cuts detection about
    /// 3× and still gives the golden box exactly. 0 (default) searches every size, as the golden run did.
    /// </summary>
    public double MinFaceFraction { get; set; }

    /// <summary>
    /// Speed: frames whose longer side exceeds this are first searched on a copy scaled down to it; the full
    /// resolution is then searched only for face sizes near the ones found (0.6×–1.6×), which reproduces the
    /// full search's box for those faces. Faces the coarse pass misses (under 24 px there) are not found.
    /// 0 (default) disables it.
    /// </summary>
    public int CoarseDetectionSide { get; set; }

    /// <summary>Which faces to return: the largest only, or every face (largest first).</summary>
    public FacePolicy FacePolicy { get; set; } = FacePolicy.Largest;

    /// <summary>
    /// Detections run at once, each on its own Haar classifier (single-threaded native state); further callers
    /// wait. One per core by default: more only adds memory on a saturated CPU.
    /// </summary>
    public int DetectorPoolSize { get; set; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Cascade file; relative paths resolve against the application's base directory.</summary>
    public string CascadePath { get; set; } = Path.Combine("Cascades", "haarcascade_frontalface_default.xml");
}
