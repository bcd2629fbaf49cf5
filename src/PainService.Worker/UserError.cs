using PainService.Model.Checkpoints;
using PainService.Worker.Datasets;

namespace PainService.Worker;

/// <summary>
/// The failures caused by what the user asked for — a bad dataset, option or file, a checkpoint that does not fit, a
/// device that is not there. A command prints them as one line; a job fails at once with the message, because running
/// it again cannot help. Everything else (a libtorch error mid-epoch, an I/O hiccup) is worth another attempt.
/// </summary>
internal static class UserError
{
    public static bool Is(Exception e) => e is DatasetFormatException or ArgumentException or InvalidOperationException or FileNotFoundException
        or DirectoryNotFoundException or InvalidDataException or CheckpointMismatchException or KeyNotFoundException;
}
