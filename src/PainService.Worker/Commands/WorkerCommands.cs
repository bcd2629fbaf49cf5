using System.CommandLine;

namespace PainService.Worker.Commands;

/// <summary>The worker's sub-commands. Each command is built by a static Create() in its own file.</summary>
internal static class WorkerCommands
{
    public static IEnumerable<Command> All() =>
    [
        SynthCommand.Create(),
        EvaluateCommand.Create(),
        SftCommand.Create(),
        TrainCommand.Create(),
        RelabelCommand.Create(),
        RunCommand.Create(),
        ImportCheckpointCommand.Create(),
    ];
}
