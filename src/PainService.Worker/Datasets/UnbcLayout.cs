namespace PainService.Worker.Datasets;

/// <summary>
/// File names of the UNBC list-file layout (spec §2.7): <c>img/</c> holds 172×172 crops, <c>list/</c> (or a
/// sub-folder such as <c>list/sft</c>, because the authors kept one list set per stage) holds the text files.
/// </summary>
public sealed record UnbcLayout(string Root, string ListFolder = "list")
{
    public string ImageDirectory => Path.Combine(Root, "img");

    public string ListDirectory => Path.Combine(Root, ListFolder);

    public string ImageList(DatasetSplit split, int fold) => List($"UNBC_{split.FileWord()}_img_path_fold{fold}.txt");

    /// <summary>AU occurrence rows (8 columns in DISFA order for UNBC+; 10 for the original UNBC set).</summary>
    public string AuLabels(DatasetSplit split, int fold) => List($"UNBC_{split.FileWord()}_label_fold{fold}.txt");

    /// <summary>One-hot pain rows (2/3/4 columns), or the older variant with one raw PSPI value per line.</summary>
    public string PainLabels(DatasetSplit split, int fold) => List($"UNBC_{split.FileWord()}_pspi_fold{fold}.txt");

    /// <summary>Raw PSPI per line beside the one-hot file, so any scheme can be derived (written by <c>synth</c>).</summary>
    public string RawPspi(DatasetSplit split, int fold) => List($"UNBC_{split.FileWord()}_pspi_raw_fold{fold}.txt");

    public string AuWeights(int fold) => List($"UNBC_weight_fold{fold}.txt");

    public string ClassWeights(int fold) => List($"UNBC_pspi_w_fold{fold}.txt");

    private string List(string name) => Path.Combine(ListDirectory, name);
}
