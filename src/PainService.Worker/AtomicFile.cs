namespace PainService.Worker;

/// <summary>
/// Write-to-temp-then-rename, so a reader (or a resumed job after kill -9) never sees a half-written checkpoint,
/// report or label file: the rename is atomic on one file system.
/// </summary>
public static class AtomicFile
{
    public static void Write(string file, ReadOnlySpan<byte> bytes)
    {
        var temp = TempBeside(file);
        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, file, overwrite: true);
    }

    public static void WriteText(string file, string text) => Write(file, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Lets a producer stream into the temp file (e.g. a TorchSharp checkpoint) before the rename.</summary>
    public static void Write(string file, Action<string> writeTemp)
    {
        var temp = TempBeside(file);
        try
        {
            writeTemp(temp);
            File.Move(temp, file, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    private static string TempBeside(string file)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, $".{Path.GetFileName(file)}.{Guid.NewGuid():N}.tmp");
    }
}
