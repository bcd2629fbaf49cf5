using System.CommandLine;
using PainService.Worker.Commands;

namespace PainService.Worker.Tests.Commands;

/// <summary>Runs the worker's command line in-process, exactly as Program.cs wires it.</summary>
internal static class Cli
{
    public static Task<int> RunAsync(params string[] args)
    {
        var root = new RootCommand("test");
        foreach (var command in WorkerCommands.All())
            root.Subcommands.Add(command);
        return root.Parse(args).InvokeAsync();
    }
}
