using System.CommandLine;
using PainService.Worker.Commands;

namespace PainService.Worker.Tests.Commands;

/// <summary>
/// Runs the worker's command line in-process, exactly as Program.cs wires it, except that an unexpected exception
/// propagates to the test with its stack trace (the default handler prints it to stderr, which the test log does not
/// show, and returns 1).
/// </summary>
internal static class Cli
{
    public static Task<int> RunAsync(params string[] args)
    {
        var root = new RootCommand("test");
        foreach (var command in WorkerCommands.All())
            root.Subcommands.Add(command);
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }
}
