namespace PainService.Worker.Training;

/// <summary>Where the training crop comes from (spec §3.4, quirk Q1).</summary>
public enum CropMode
{
    /// <summary>The authors' code: offsets drawn from the un-resized 172 image, so always the top-left crop of the 256 image.</summary>
    Legacy,
    /// <summary>Offsets drawn after resizing, in [0, 256 − 172]: the random crop works as intended.</summary>
    Fixed,
}
