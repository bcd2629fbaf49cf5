namespace PainService.Api.Tests.Support;

/// <summary>
/// Tests that start the API as a child process and measure it (resident memory, shutdown): they run one at a time
/// and after the parallel tests, so the two cores are theirs and the numbers are the service's own.
/// </summary>
[CollectionDefinition(nameof(ServiceProcessCollection), DisableParallelization = true)]
public sealed class ServiceProcessCollection;
