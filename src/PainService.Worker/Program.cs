using System.CommandLine;
using PainService.Worker.Commands;

// painservice-worker: one sub-command per job; each lives in Commands/ and is added here.
var root = new RootCommand("PainService worker: GraphAU-Pain checkpoint import, datasets, training and evaluation jobs.");
foreach (var command in WorkerCommands.All())
    root.Subcommands.Add(command);
return await root.Parse(args).InvokeAsync();
