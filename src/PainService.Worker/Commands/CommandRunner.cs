namespace PainService.Worker.Commands;

/// <summary>
/// Turns the expected failures of a command (bad dataset, bad option, missing file) into one clear line on stderr
/// and exit code 2, instead of a stack trace; anything else is a bug and still surfaces with its trace.
/// </summary>
internal static class CommandRunner
{
    public const int UsageError = 2;

    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception e) when (UserError.Is(e))
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return UsageError;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("cancelled");
            return 130;
        }
    }

    public static Task<int> RunAsync(Func<int> body) => RunAsync(() => Task.FromResult(body()));
}
