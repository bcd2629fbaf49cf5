using OpenCvSharp;

namespace PainService.Vision.Detection;

/// <summary>
/// How the cascade is run over a grey frame. OpenCV evaluates each pyramid level independently on the full frame
/// and then groups the raw hits, so limiting the window sizes (minSize/maxSize) on the SAME frame leaves the
/// levels that remain bit-identical: a face whose raw hits are all at least minSize gets exactly the box of an
/// unrestricted search. Searching a crop (ROI) would not: the pyramid's resampling grid moves with the origin.
/// </summary>
internal static class CascadeSearch
{
    /// <summary>
    /// The smallest raw hit of a face is about 0.65× its final size (astronaut: 62 px around 95), so the fine pass
    /// starts a little below. It has no upper limit: OpenCV groups hits transitively, so much larger windows can
    /// belong to the same face's group (a 1.6× cap moved the golden box by a pixel), and they are cheap anyway.
    /// </summary>
    private const double RefineBelow = 0.55;

    public static Rect[] Run(CascadeClassifier cascade, Mat gray, VisionOptions options)
    {
        var minSide = (int)Math.Floor(options.MinFaceFraction * Math.Min(gray.Width, gray.Height));
        var longer = Math.Max(gray.Width, gray.Height);
        return options.CoarseDetectionSide > 0 && longer > options.CoarseDetectionSide
            ? CoarseToFine(cascade, gray, options, minSide, (double)options.CoarseDetectionSide / longer)
            : Search(cascade, gray, options, minSide);
    }

    private static Rect[] CoarseToFine(CascadeClassifier cascade, Mat gray, VisionOptions options, int minSide, double scale)
    {
        using var small = new Mat();
        var size = new Size(Math.Max(1, (int)Math.Round(gray.Width * scale)), Math.Max(1, (int)Math.Round(gray.Height * scale)));
        Cv2.Resize(gray, small, size, interpolation: InterpolationFlags.Area);
        var coarse = Search(cascade, small, options, (int)(minSide * scale));
        if (coarse.Length == 0)
            return [];
        var lo = Math.Max(minSide, (int)Math.Floor(coarse.Min(r => r.Width) / scale * RefineBelow));
        return Search(cascade, gray, options, lo);
    }

    private static Rect[] Search(CascadeClassifier cascade, Mat gray, VisionOptions options, int minSide) =>
        cascade.DetectMultiScale(gray, options.ScaleFactor, options.MinNeighbors,
            minSize: minSide > 0 ? new Size(minSide, minSide) : null);
}
