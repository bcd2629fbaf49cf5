namespace PainService.Api.Tests.Jobs;

/// <summary>
/// The round trip trains a real model for several seconds of CPU; run alone, it neither slows the timing-sensitive
/// API tests (queue deadlines, drain) nor is slowed by them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrainingCollection
{
    public const string Name = "Training round trip";
}
