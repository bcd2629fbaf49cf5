namespace PainService.Worker.Tests.Training;

/// <summary>
/// Tests that compare training runs number for number. libtorch's random generator (which draws every module's
/// initial weights) and its intra-op thread count belong to the whole process, so a test in a parallel class that
/// builds a network or sets the thread count while a seeded run initialises shifts that run onto other numbers.
/// The production worker runs one job at a time per process; these tests run alone for the same reason. So do the
/// tests that swap the process-wide Console.Out or Console.Error to read what a command printed.
/// </summary>
[CollectionDefinition(nameof(ProcessWideTorchState), DisableParallelization = true)]
public sealed class ProcessWideTorchState;
