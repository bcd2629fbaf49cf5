namespace PainService.Api.Models;

/// <summary>The model registry (section "ModelRegistry"): a folder of versioned native checkpoints.</summary>
public sealed class ModelRegistryOptions
{
    public const string SectionName = "ModelRegistry";

    /// <summary>
    /// Folder searched (with subfolders) for <c>*.ckpt</c> native checkpoints; each one's embedded manifest names its
    /// version. Empty: no registry, only the configured model is listed.
    /// </summary>
    public string Path { get; set; } = "";
}
