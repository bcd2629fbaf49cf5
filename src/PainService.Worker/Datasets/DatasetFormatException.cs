namespace PainService.Worker.Datasets;

/// <summary>
/// A dataset file is malformed or inconsistent. The message always names the file (and the 1-based line when one
/// line is to blame) so a bad dataset is rejected before any training starts, never silently mis-read.
/// </summary>
public sealed class DatasetFormatException : Exception
{
    public DatasetFormatException(string file, int? line, string problem)
        : base(line is { } l ? $"{file}:{l}: {problem}" : $"{file}: {problem}")
    {
        File = file;
        Line = line;
    }

    public string File { get; }

    public int? Line { get; }
}
