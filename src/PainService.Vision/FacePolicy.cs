namespace PainService.Vision;

/// <summary>How many faces a frame yields: the largest one (the paper's single-face crops) or all of them.</summary>
public enum FacePolicy
{
    Largest,
    All,
}
