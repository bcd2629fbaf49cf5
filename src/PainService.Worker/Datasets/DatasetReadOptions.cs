using PainService.Model;

namespace PainService.Worker.Datasets;

/// <summary>What a job needs from a split; the reader validates exactly that and fails before training starts.</summary>
public sealed record DatasetReadOptions
{
    public int Fold { get; init; } = 1;

    public PainScheme Scheme { get; init; } = PainScheme.ThreeLevel;

    /// <summary>Sub-folder of the dataset root holding the lists (<c>list</c>, <c>list/sft</c>, <c>list/final_4</c>…).</summary>
    public string ListFolder { get; init; } = "list";

    /// <summary>Stage 1 (SFT) needs AU labels.</summary>
    public bool RequireAuLabels { get; init; }

    /// <summary>
    /// Training lists must have a positive row in every AU column (else the AU cannot be learnt); off for tools that
    /// only transform labels (relabelling keeps AU7/AU10/AU20 columns that may never occur).
    /// </summary>
    public bool RequireAuPositives { get; init; } = true;

    /// <summary>Stage 2 and evaluation need pain labels.</summary>
    public bool RequirePainLabels { get; init; }

    /// <summary>Check that every listed image exists (off only for label-only tools).</summary>
    public bool CheckImages { get; init; } = true;

    /// <summary>How many AU columns the label file must have (8 for UNBC+, 10 for the original UNBC set).</summary>
    public int AuColumns { get; init; } = 8;
}
